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

/** {@code POST /v1/embeddings}: OpenAI's embeddings API over the server's embedding model. */
@Path("/v1/embeddings")
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
    public Response embed(String json, @Context HttpServerRequest http) {
        Caller caller = admission.authenticate(Http.origin(http));
        ObjectNode body = Http.jsonBody(json);
        EmbeddingModel model = embeddings.get();
        String requested = JsonFields.string(body, "model", null);
        if (requested != null && !requested.equals(model.name())) {
            throw ApiException.invalid("model", "model '" + requested + "' does not exist; available: "
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
