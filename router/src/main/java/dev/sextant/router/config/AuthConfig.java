package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;

public interface AuthConfig {
    /**
     * Where API keys live: {@code file} ({@code keys.json} in the data dir, one machine) or {@code redis}
     * (shared by replicas; needs {@code sextant.redis.url}).
     */
    @WithDefault("file")
    @Pattern(regexp = "file|redis")
    String store();

    /** The admin key (plain text; give it through {@code SEXTANT_AUTH_ADMIN_KEY}); none: no admin key. */
    Optional<String> adminKey();

    /** Requests and tokens per minute, daily and monthly dollars given to a key created without its own. */
    @WithDefault("600")
    @Min(0)
    long defaultRequestsPerMinute();

    @WithDefault("200000")
    @Min(0)
    long defaultTokensPerMinute();

    @WithDefault("0")
    @DecimalMin("0")
    double defaultDailyBudgetUsd();

    @WithDefault("0")
    @DecimalMin("0")
    double defaultMonthlyBudgetUsd();
}
