package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Optional;

public interface RedisConfig {
    /** e.g. {@code redis://127.0.0.1:6379}; none: rate limits, budgets and keys stay in this process. */
    Optional<String> url();

    /** Longest wait for one Redis call; past it the call counts as failed. */
    @WithDefault("500ms")
    Duration timeout();

    /**
     * When Redis fails: {@code open} admits requests without limits and budgets (availability first) or
     * {@code closed} refuses them with 503.
     */
    @WithDefault("open")
    @Pattern(regexp = "open|closed")
    String failMode();
}
