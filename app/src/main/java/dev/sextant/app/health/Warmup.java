package dev.sextant.app.health;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.rag.store.ChunkStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.List;
import dev.sextant.app.wiring.Roles;
import dev.sextant.router.config.SextantConfig;
import org.jboss.logging.Logger;

/**
 * Loads the models and the store while the server starts, so a bad model directory stops startup with its reason
 * and the first request does not pay for loading. The ingest CLI turns it off ({@code sextant.warm-up=false}).
 */
@ApplicationScoped
public class Warmup {

    private static final Logger LOG = Logger.getLogger(Warmup.class);

    @Inject
    Provider<EmbeddingModel> embeddings;
    @Inject
    Provider<ChunkStore> store;
    @Inject
    Provider<InferenceClient> inference;
    @Inject
    SextantConfig config;

    void onStart(@Observes StartupEvent event) {
        if (!config.warmUp()) {
            return;
        }
        long start = System.nanoTime();
        if (!Roles.servesGeneration(config)) {
            EmbeddingModel model = embeddings.get();
            LOG.infof("ready in %d ms: embeddings service for %s (%d dimensions)", (System.nanoTime() - start)
                    / 1_000_000, model.name(), model.dimension());
            return;
        }
        List<InferenceClient.ModelInfo> models;
        try {
            models = inference.get().models();
        } catch (RuntimeException e) {
            if (!Roles.remoteInference(config)) {
                throw e;
            }
            // Replicas may start after the router; readiness stays down until one answers.
            LOG.warnf("no inference replica answers yet: %s", e.getMessage());
            models = List.of(new InferenceClient.ModelInfo("(no replica yet)", 0));
        }
        if (!Roles.retrieves(config)) {
            LOG.infof("ready in %d ms: inference service for %s", (System.nanoTime() - start) / 1_000_000,
                    models.get(0).id());
            return;
        }
        EmbeddingModel model = embeddings.get();
        store.get();
        LOG.infof("ready in %d ms: embeddings %s (%d dimensions), chat model %s", (System.nanoTime() - start)
                / 1_000_000, model.name(), model.dimension(), models.get(0).id());
    }
}
