package dev.sextant.router.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.router.http.Http;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code GET /v1/models}: the chat models this server answers with, in OpenAI's list shape. */
@ApplicationScoped
public class ModelsRoute {

    private final InferenceClient inference;
    private final long startedAt = System.currentTimeMillis() / 1000;

    public ModelsRoute(InferenceClient inference) {
        this.inference = inference;
    }

    @Route(path = "/v1/models", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    void models(RoutingContext rc) {
        Http.serve(rc, () -> {
            ObjectNode out = Http.JSON.createObjectNode().put("object", "list");
            ArrayNode data = out.putArray("data");
            for (var model : inference.models()) {
                data.addObject().put("id", model.id()).put("object", "model").put("created", startedAt)
                        .put("owned_by", "sextant").put("context_length", model.contextLength());
            }
            Http.sendJson(rc, 200, out);
        });
    }
}
