package dev.sextant.router.health;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.router.config.SextantConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the chat model answers and, unless this is an inference-only process, the embedder and store too. */
@Readiness
@ApplicationScoped
public class ComponentsReadiness implements HealthCheck {

    private final Instance<EmbeddingModel> embeddings;
    private final Instance<ChunkStore> store;
    private final InferenceClient inference;
    private final SextantConfig config;

    public ComponentsReadiness(Instance<EmbeddingModel> embeddings, Instance<ChunkStore> store,
                               InferenceClient inference,
                               SextantConfig config) {
        this.embeddings = embeddings;
        this.store = store;
        this.inference = inference;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("sextant");
        try {
            var models = inference.models();
            builder.up().withData("chat_model", models.get(0).id()).withData("role", config.role());
            if (!config.role().equals("inference")) {
                int documents = store.get().documents(new ChunkStore.DocumentListingRequest(
                        config.defaultTenant())).hashBySource().size();
                builder.withData("embedding_model", embeddings.get().name()).withData("documents", documents);
            }
            return builder.build();
        } catch (RuntimeException e) {
            return builder.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
