package dev.sextant.router.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.rest.openapi.ApiDocument;
import dev.sextant.router.rest.openapi.ErrorSchemas.ErrorResponse;
import dev.sextant.router.rest.openapi.ModelsSchemas;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/models}: the models this process answers with, in OpenAI's list shape: chat models first, then the
 * embedding model, as the process's role serves them. Models are looked up lazily, so an embeddings-only process
 * never loads a chat model.
 */
@Path("/v1/models")
@Tag(name = "Models", description = "OpenAI's model list.")
@SecurityRequirement(name = ApiDocument.BEARER)
// SmallRye reads security schemes from resource classes only; this route is served by every role.
@SecurityScheme(securitySchemeName = ApiDocument.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = ApiDocument.BEARER_DESCRIPTION)
public class ModelsResource {

    private final Instance<InferenceClient> inference;
    private final Instance<EmbeddingModel> embeddings;
    private final ApiSurface surface;
    private final long startedAt = System.currentTimeMillis() / 1000;

    private final Admission admission;

    public ModelsResource(Instance<InferenceClient> inference, Instance<EmbeddingModel> embeddings,
                          ApiSurface surface, Admission admission) {
        this.inference = inference;
        this.embeddings = embeddings;
        this.surface = surface;
        this.admission = admission;
    }

    @GET
    @Blocking
    @Operation(operationId = "listModels", summary = "List the served models")
    @APIResponse(responseCode = "200", description = "The models this process answers with.", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ModelsSchemas.ModelList.class)))
    @APIResponse(responseCode = "401", description = ApiDocument.UNAUTHORIZED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Response models(@Context HttpServerRequest http) {
        admission.authenticate(Http.origin(http));
        ObjectNode out = Http.JSON.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        if (surface.serves(ApiSurface.CHAT)) {
            for (var model : inference.get().models()) {
                data.addObject().put("id", model.id()).put("object", "model").put("created", startedAt)
                        .put("owned_by", "sextant").put("context_length", model.contextLength());
            }
        }
        if (surface.serves(ApiSurface.EMBEDDINGS)) {
            EmbeddingModel model = embeddings.get();
            data.addObject().put("id", model.name()).put("object", "model").put("created", startedAt)
                    .put("owned_by", "sextant").put("dimensions", model.dimension());
        }
        return Http.json(200, out);
    }
}
