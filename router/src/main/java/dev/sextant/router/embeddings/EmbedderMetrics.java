package dev.sextant.router.embeddings;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.onnx.EmbedderStats;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.function.ToLongFunction;
import dev.sextant.router.config.SextantConfig;

/**
 * Exports the in-process embedder's counters: {@code sextant_embeddings_{calls,texts,tokens,padded_tokens}_total}
 * per model (padded / tokens is the padding overhead, texts / calls the mean batch). A process embedding remotely
 * has none.
 */
@ApplicationScoped
public class EmbedderMetrics {

    @Inject
    Provider<EmbeddingModel> embeddings;
    @Inject
    SextantConfig config;
    @Inject
    MeterRegistry registry;

    void onStart(@Observes StartupEvent event) {
        if (!config.warmUp() || config.embeddings().url().isPresent() || config.role().equals("inference")) {
            return;
        }
        if (embeddings.get() instanceof OnnxEmbeddingModel model) {
            counter(model, "calls", EmbedderStats::batches);
            counter(model, "texts", EmbedderStats::texts);
            counter(model, "tokens", EmbedderStats::tokens);
            counter(model, "padded.tokens", EmbedderStats::paddedTokens);
        }
    }

    private void counter(OnnxEmbeddingModel model, String name, ToLongFunction<EmbedderStats> value) {
        FunctionCounter.builder("sextant.embeddings." + name, model, m -> value.applyAsLong(m.stats()))
                .tag("model", model.name()).register(registry);
    }
}
