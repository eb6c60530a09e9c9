package dev.sextant.router.health;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.router.config.SextantConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the embedding model, the chunk store and the chat model all answer. */
@Readiness
@ApplicationScoped
public class ComponentsReadiness implements HealthCheck {

    private final EmbeddingModel embeddings;
    private final ChunkStore store;
    private final InferenceClient inference;
    private final SextantConfig config;

    public ComponentsReadiness(EmbeddingModel embeddings, ChunkStore store, InferenceClient inference,
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
            int documents = store.documents(new ChunkStore.DocumentListingRequest(config.defaultTenant()))
                    .hashBySource().size();
            return builder.up()
                    .withData("embedding_model", embeddings.name())
                    .withData("chat_model", models.get(0).id())
                    .withData("documents", documents)
                    .build();
        } catch (RuntimeException e) {
            return builder.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
