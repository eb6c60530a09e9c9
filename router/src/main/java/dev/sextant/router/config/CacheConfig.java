package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;

public interface CacheConfig {
    @WithDefault("true")
    boolean enabled();

    @WithDefault("10000")
    @Min(1)
    int maxEntries();

    @WithDefault("1h")
    Duration ttl();

    /** The semantic layer: answer a differently worded single-turn question from the cache. */
    @WithDefault("true")
    boolean semantic();

    /**
     * Cosine a cached question needs before the false-hit guard (negation, numbers, key terms, polar words)
     * looks at it; chosen on eval/corpora/cache-pairs (see router/README.md).
     */
    @WithDefault("0.90")
    @DecimalMin("0.5")
    @DecimalMax("1.0")
    double similarity();
}
