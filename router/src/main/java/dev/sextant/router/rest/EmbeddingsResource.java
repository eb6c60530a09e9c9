package dev.sextant.router.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;
import dev.sextant.openai.embeddings.EmbeddingsResponse;
import dev.sextant.openai.embeddings.EncodingFormat;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.admission.PromptEstimate;
import dev.sextant.router.auth.Authenticator.Caller;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.rest.openapi.ApiDocument;
import dev.sextant.router.rest.openapi.EmbeddingsSchemas;
import dev.sextant.router.rest.openapi.ErrorSchemas.ErrorResponse;
import dev.sextant.router.resilience.GuardedEmbeddingModel;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/embeddings}: OpenAI's embeddings API over the server's embedding model. */
@Path("/v1/embeddings")
@Tag(name = "Embeddings", description = "OpenAI's embeddings, by the server's embedding model.")
@SecurityRequirement(name = ApiDocument.BEARER)
public class EmbeddingsResource {

    static final int MAX_INPUTS = 2048;
    static final int MAX_INPUT_CHARS = 100_000;

    private final Instance<GuardedEmbeddingModel> embeddings;
    private final SextantConfig config;

    private final Admission admission;

    public EmbeddingsResource(Instance<GuardedEmbeddingModel> embeddings, SextantConfig config, Admission admission) {
        this.embeddings = embeddings;
        this.config = config;
        this.admission = admission;
    }

    @POST
    @Blocking
    @Operation(operationId = "createEmbedding", summary = "Embed texts",
            description = "Vectors of the model that also embeds the documents for retrieval.")
    @RequestBody(required = true, content = @Content(mediaType = ApiDocument.JSON,
            schema = @Schema(implementation = EmbeddingsSchemas.Request.class)))
    @APIResponse(responseCode = "200", description = "One vector per input.", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = EmbeddingsSchemas.Response.class)))
    @APIResponse(responseCode = "400", description = ApiDocument.BAD_REQUEST, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "413", description = ApiDocument.TOO_LARGE, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "401", description = ApiDocument.UNAUTHORIZED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "402", description = ApiDocument.BUDGET_EXCEEDED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "404", description = ApiDocument.NOT_SERVED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "429", description = ApiDocument.RATE_LIMITED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)),
            headers = @Header(name = "retry-after", description = ApiDocument.RETRY_AFTER,
                    schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "502", description = "The remote embeddings service answered with vectors that do not "
            + "fit the request (`embeddings_incompatible`).", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "503", description = ApiDocument.UNAVAILABLE, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "504", description = ApiDocument.TIMEOUT, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Response embed(String json, @Context HttpServerRequest http) {
        Caller caller = admission.authenticate(Http.origin(http));
        ObjectNode body = Http.jsonBody(json);
        EmbeddingModel model = embeddings.get();
        String requested = JsonFields.string(body, "model", null);
        if (requested != null && !requested.equals(model.name())) {
            throw ApiException.modelNotFound("model '" + requested + "' does not exist; available: "
                    + model.name());
        }
        String format = JsonFields.string(body, "encoding_format", "float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiException.invalid("encoding_format", "'encoding_format' must be float or base64, got '"
                    + format + "'");
        }
        if (body.hasNonNull("dimensions") && JsonFields.integer(body, "dimensions", 0, 1, 100_000)
                != model.dimension()) {
            throw ApiException.invalid("dimensions", "'dimensions' must be " + model.dimension() + " for "
                    + model.name() + " (no truncation)");
        }
        List<String> inputs = inputs(body.get("input"));
        long estimate = inputs.stream().mapToLong(PromptEstimate::text).sum() + 2L * inputs.size();
        Admission.Ticket ticket = admission.admit(caller, new Admission.Work(model.name(), estimate, 0, true));
        EmbeddingResult result = null;
        try {
            result = model.embed(new EmbeddingRequest(inputs));
        } finally {
            ticket.finish(result == null ? 0 : result.tokenCount(), 0);
        }
        ObjectNode out = EmbeddingsResponse.of(model.name(), result.vectors(), result.tokenCount())
                .toJsonNode(EncodingFormat.fromWire(format));
        return Http.json(200, out, ticket.headers());
    }

    private static List<String> inputs(JsonNode input) {
        if (input == null || input.isNull()) {
            throw ApiException.invalid("input", "'input' is required");
        }
        List<String> out = new ArrayList<>();
        if (input.isTextual()) {
            out.add(input.textValue());
        } else if (input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    throw ApiException.invalid("input", "'input' items must be strings, got " + JsonFields.kind(item)
                            + " (token arrays are not supported)");
                }
                out.add(item.textValue());
            }
        } else {
            throw ApiException.invalid("input", "'input' must be a string or an array of strings, got "
                    + JsonFields.kind(input));
        }
        if (out.isEmpty()) {
            throw ApiException.invalid("input", "'input' must not be empty");
        }
        if (out.size() > MAX_INPUTS) {
            throw ApiException.invalid("input", "'input' has " + out.size() + " items; at most " + MAX_INPUTS);
        }
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).isEmpty()) {
                throw ApiException.invalid("input", "input[" + i + "] is empty");
            }
            if (out.get(i).length() > MAX_INPUT_CHARS) {
                throw ApiException.invalid("input", "input[" + i + "] has " + out.get(i).length()
                        + " characters; at most " + MAX_INPUT_CHARS);
            }
        }
        return out;
    }
}
