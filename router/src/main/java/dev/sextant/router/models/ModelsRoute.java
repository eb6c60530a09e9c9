package dev.sextant.router.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.config.Roles;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.http.Http;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * {@code GET /v1/models}: the models this process answers with, in OpenAI's list shape: chat models first, then the
 * embedding model, as the process's role serves them. Models are looked up lazily, so an embeddings-only process
 * never loads a chat model.
 */
@ApplicationScoped
public class ModelsRoute {

    private final Instance<InferenceClient> inference;
    private final Instance<EmbeddingModel> embeddings;
    private final SextantConfig config;
    private final long startedAt = System.currentTimeMillis() / 1000;

    private final Admission admission;

    public ModelsRoute(Instance<InferenceClient> inference, Instance<EmbeddingModel> embeddings,
                       SextantConfig config, Admission admission) {
        this.inference = inference;
        this.embeddings = embeddings;
        this.config = config;
        this.admission = admission;
    }

    @Route(path = "/v1/models", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    void models(RoutingContext rc) {
        Http.serve(rc, () -> {
            admission.authenticate(rc);
            ObjectNode out = Http.JSON.createObjectNode().put("object", "list");
            ArrayNode data = out.putArray("data");
            if (Roles.servesGeneration(config)) {
                for (var model : inference.get().models()) {
                    data.addObject().put("id", model.id()).put("object", "model").put("created", startedAt)
                            .put("owned_by", "sextant").put("context_length", model.contextLength());
                }
            }
            if (Roles.servesEmbeddings(config)) {
                EmbeddingModel model = embeddings.get();
                data.addObject().put("id", model.name()).put("object", "model").put("created", startedAt)
                        .put("owned_by", "sextant").put("dimensions", model.dimension());
            }
            Http.sendJson(rc, 200, out);
        });
    }
}
