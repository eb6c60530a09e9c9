package dev.sextant.router.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.TokenLogprob;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.admission.PromptEstimate;
import dev.sextant.router.auth.Authenticator.Caller;
import dev.sextant.router.chat.ChatCompletionRequest;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.rest.openapi.ApiDocument;
import dev.sextant.router.rest.openapi.CompletionSchemas;
import dev.sextant.router.rest.openapi.ErrorSchemas.ErrorResponse;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/completions}: OpenAI's text completion API over the local model (no chat template, no
 * retrieval), as one JSON response or as server-sent events.
 */
@Path(ApiSurface.COMPLETIONS)
@Tag(name = "Completions", description = "OpenAI's text completions: the prompt goes to the model as it is.")
@SecurityRequirement(name = ApiDocument.BEARER)
public class CompletionResource {

    static final int DEFAULT_MAX_TOKENS = 16;

    private final Instance<InferenceClient> inferenceClient;
    private final SextantConfig config;
    private final Admission admission;

    public CompletionResource(Instance<InferenceClient> inference, SextantConfig config, Admission admission) {
        this.inferenceClient = inference;
        this.config = config;
        this.admission = admission;
    }

    @POST
    @Blocking
    @Operation(operationId = "createCompletion", summary = "Continue a text",
            description = "OpenAI's legacy completions API over the local model: no chat template, no retrieval.")
    @RequestBody(required = true, content = @Content(mediaType = ApiDocument.JSON,
            schema = @Schema(implementation = CompletionSchemas.Request.class)))
    @APIResponse(responseCode = "200", description = "The continuation: one JSON body, or with `\"stream\": true` "
            + "server-sent events ending with `data: [DONE]`.", content = {
                @Content(mediaType = ApiDocument.JSON,
                        schema = @Schema(implementation = CompletionSchemas.Completion.class)),
                @Content(mediaType = ApiDocument.EVENT_STREAM,
                        schema = @Schema(implementation = CompletionSchemas.Completion.class))})
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
    @APIResponse(responseCode = "503", description = ApiDocument.UNAVAILABLE, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "504", description = ApiDocument.TIMEOUT, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Response completions(String text, @Context HttpServerRequest http, @Context HttpServerResponse connection) {
        Caller caller = admission.authenticate(Http.origin(http));
        InferenceClient inference = inferenceClient.get();
        ObjectNode body = Http.jsonBody(text);
        GenerationRequest request = parse(body);
        boolean stream = JsonFields.bool(body, "stream", false);
        String model = request.model() != null ? request.model() : inference.models().get(0).id();
        Admission.Ticket ticket = admission.admit(caller, new Admission.Work(model,
                PromptEstimate.text(body.get("prompt").toString()), request.maxTokens(), false));
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        if (stream) {
            return SseStream.response(connection, ticket.headers(), events -> {
                long[] usage = new long[2];
                try {
                    stream(events, inference, request, includeUsage(body), id, created, usage);
                } finally {
                    ticket.finish(usage[0], usage[1]);
                }
            });
        }
        long[] usage = new long[2];
        try {
            GenerationResult result = inference.generate(request, TokenStream.DISCARD);
            usage[0] = result.promptTokens();
            usage[1] = result.completionTokens();
            ObjectNode root = envelope(id, created, result.model());
            ObjectNode choice = choice(root, result.text(), result.finishReason().wireName());
            if (request.logprobs()) {
                choice.set("logprobs", LogprobsJson.legacy(result.logprobs(), 0));
            }
            root.set("usage", Http.usage(result.promptTokens(), result.completionTokens()));
            return Http.json(200, root, ticket.headers());
        } finally {
            ticket.finish(usage[0], usage[1]);
        }
    }

    private GenerationRequest parse(ObjectNode body) {
        RequestFields.check(body, RequestFields.COMPLETION);
        String model = JsonFields.string(body, "model", null);
        JsonNode promptNode = body.get("prompt");
        String prompt;
        if (promptNode == null || promptNode.isNull()) {
            throw ApiException.invalid("prompt", "'prompt' is required");
        } else if (promptNode.isTextual()) {
            prompt = promptNode.textValue();
        } else if (promptNode.isArray() && promptNode.size() == 1 && promptNode.get(0).isTextual()) {
            prompt = promptNode.get(0).textValue();
        } else {
            throw ApiException.invalid("prompt", "'prompt' must be a string (or an array of one string), got "
                    + JsonFields.kind(promptNode));
        }
        if (prompt.isEmpty()) {
            throw ApiException.invalid("prompt", "'prompt' must not be empty");
        }
        if (JsonFields.bool(body, "echo", false)) {
            throw ApiException.invalid("echo", "'echo' is not supported");
        }
        // The legacy API's logprobs: how many alternatives per token, each token's own always included.
        int logprobs = JsonFields.integer(body, "logprobs", -1, 0, GenerationRequest.MAX_TOP_LOGPROBS);
        ChatRequests.requireSingleChoice(body);
        int maxTokens = JsonFields.integer(body, "max_tokens", DEFAULT_MAX_TOKENS, 1, 32_768);
        return new GenerationRequest(model, Prompt.text(prompt), maxTokens, JsonFields.stringOrList(body, "stop", 4),
                ChatRequests.sampling(body), config.inference().timeout(), ChatRequests.ignoreEos(body))
                .withLogprobs(logprobs);
    }

    private static boolean includeUsage(ObjectNode body) {
        JsonNode options = body.get("stream_options");
        return options instanceof ObjectNode o && JsonFields.bool(o, "include_usage", false);
    }

    private void stream(SseStream.Events events, InferenceClient inference, GenerationRequest request,
                        boolean includeUsage, String id, long created, long[] used) {
        String model = request.model() != null ? request.model() : inference.models().get(0).id();
        List<TokenLogprob> pending = new ArrayList<>();
        int[] offset = {0};
        GenerationResult result = inference.generate(request, new TokenStream() {
            @Override
            public void onText(String delta) {
                used[1]++;
                ObjectNode chunk = envelope(id, created, model);
                ObjectNode choice = choice(chunk, delta, null);
                if (request.logprobs()) {
                    choice.set("logprobs", LogprobsJson.legacy(pending, offset[0]));
                    offset[0] += delta.length();
                    pending.clear();
                }
                events.event(chunk);
            }

            @Override
            public void onLogprobs(List<TokenLogprob> logprobs) {
                pending.addAll(logprobs);
            }

            @Override
            public boolean isCancelled() {
                return events.gone();
            }
        });
        used[0] = result.promptTokens();
        used[1] = result.completionTokens();
        if (events.gone()) {
            return;
        }
        ObjectNode last = envelope(id, created, result.model());
        ObjectNode lastChoice = choice(last, "", result.finishReason().wireName());
        if (request.logprobs() && !pending.isEmpty()) {
            lastChoice.set("logprobs", LogprobsJson.legacy(pending, offset[0]));
        }
        events.event(last);
        if (includeUsage) {
            ObjectNode usage = envelope(id, created, result.model());
            usage.putArray("choices");
            usage.set("usage", Http.usage(result.promptTokens(), result.completionTokens()));
            events.event(usage);
        }
        events.done();
    }

    private static ObjectNode envelope(String id, long created, String model) {
        return Http.JSON.createObjectNode().put("id", id).put("object", "text_completion").put("created", created)
                .put("model", model);
    }

    private static ObjectNode choice(ObjectNode root, String text, String finishReason) {
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("text", text).put("index", 0).putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return choice;
    }
}
