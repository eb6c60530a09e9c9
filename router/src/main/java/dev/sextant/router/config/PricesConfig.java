package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMin;
import java.util.Map;

/** Dollars per million tokens, per model id; {@code default} applies to models not listed. */
public interface PricesConfig {
    @WithDefault("0")
    @DecimalMin("0")
    double defaultPromptPerMillion();

    @WithDefault("0")
    @DecimalMin("0")
    double defaultCompletionPerMillion();

    @WithDefault("0")
    @DecimalMin("0")
    double defaultEmbeddingPerMillion();

    /** Per model: {@code sextant.prices.models."smollm2".prompt-per-million=0.05}. */
    Map<String, ModelPrice> models();

    interface ModelPrice {
        @WithDefault("0")
        @DecimalMin("0")
        double promptPerMillion();

        @WithDefault("0")
        @DecimalMin("0")
        double completionPerMillion();

        @WithDefault("0")
        @DecimalMin("0")
        double embeddingPerMillion();
    }
}
