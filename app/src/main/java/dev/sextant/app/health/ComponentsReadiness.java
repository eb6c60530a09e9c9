package dev.sextant.app.health;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.app.wiring.Roles;
import dev.sextant.router.config.SextantConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when what this process serves ({@link Roles}) answers: chat model, embedder, chunk store. */
@Readiness
@ApplicationScoped
public class ComponentsReadiness implements HealthCheck {

    private final Instance<EmbeddingModel> embeddings;
    private final Instance<ChunkStore> store;
    private final Instance<InferenceClient> inference;
    private final SextantConfig config;

    public ComponentsReadiness(Instance<EmbeddingModel> embeddings, Instance<ChunkStore> store,
                               Instance<InferenceClient> inference,
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
            builder.up().withData("role", config.role());
            if (Roles.servesGeneration(config)) {
                builder.withData("chat_model", inference.get().models().get(0).id());
            }
            if (Roles.servesEmbeddings(config)) {
                builder.withData("embedding_model", embeddings.get().name());
            }
            if (Roles.retrieves(config)) {
                int documents = store.get().documents(new ChunkStore.DocumentListingRequest(
                        config.defaultTenant())).hashBySource().size();
                builder.withData("documents", documents);
            }
            return builder.build();
        } catch (RuntimeException e) {
            return builder.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
