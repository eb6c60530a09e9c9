package dev.sextant.router.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.router.chat.ChatCompletionRequest;
import dev.sextant.router.chat.SseWriter;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.admission.PromptEstimate;
import dev.sextant.router.config.Roles;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.http.ApiException;
import dev.sextant.router.http.Http;
import dev.sextant.router.http.JsonFields;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /v1/completions}: OpenAI's text completion API over the local model (no chat template, no
 * retrieval), as one JSON response or as server-sent events.
 */
@ApplicationScoped
public class CompletionRoute {

    static final int DEFAULT_MAX_TOKENS = 16;

    private final Instance<InferenceClient> inferenceClient;
    private final SextantConfig config;

    private final Admission admission;

    public CompletionRoute(Instance<InferenceClient> inference, SextantConfig config, Admission admission) {
        this.inferenceClient = inference;
        this.config = config;
        this.admission = admission;
    }

    @Route(path = "/v1/completions", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    void completions(RoutingContext rc) {
        Http.serve(rc, () -> {
            if (!Roles.servesGeneration(config)) {
                throw Http.notFound(rc);
            }
            InferenceClient inference = inferenceClient.get();
            admission.authenticate(rc);
            ObjectNode body = Http.jsonBody(rc);
            GenerationRequest request = parse(body);
            boolean stream = JsonFields.bool(body, "stream", false);
            String model = request.model() != null ? request.model() : inference.models().get(0).id();
            Admission.Ticket ticket = admission.admit(rc, new Admission.Work(model,
                    PromptEstimate.text(body.get("prompt").toString()), request.maxTokens(), false));
            long[] usage = new long[2];
            try {
                String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
                long created = System.currentTimeMillis() / 1000;
                if (stream) {
                    stream(rc, inference, request, includeUsage(body), id, created, usage);
                } else {
                    GenerationResult result = inference.generate(request, TokenStream.DISCARD);
                    usage[0] = result.promptTokens();
                    usage[1] = result.completionTokens();
                    ObjectNode root = envelope(id, created, result.model());
                    choice(root, result.text(), result.finishReason().wireName());
                    root.set("usage", Http.usage(result.promptTokens(), result.completionTokens()));
                    Http.sendJson(rc, 200, root);
                }
            } finally {
                ticket.finish(usage[0], usage[1]);
            }
        });
    }

    private GenerationRequest parse(ObjectNode body) {
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
        if (body.hasNonNull("logprobs")) {
            throw ApiException.invalid("logprobs", "'logprobs' is not supported");
        }
        ChatCompletionRequest.requireSingleChoice(body);
        int maxTokens = JsonFields.integer(body, "max_tokens", DEFAULT_MAX_TOKENS, 1, 32_768);
        return new GenerationRequest(model, Prompt.text(prompt), maxTokens, JsonFields.stringOrList(body, "stop", 4),
                ChatCompletionRequest.sampling(body), config.inference().timeout());
    }

    private static boolean includeUsage(ObjectNode body) {
        JsonNode options = body.get("stream_options");
        return options instanceof ObjectNode o && JsonFields.bool(o, "include_usage", false);
    }

    private void stream(RoutingContext rc, InferenceClient inference, GenerationRequest request,
                        boolean includeUsage, String id, long created, long[] used) {
        AtomicBoolean gone = new AtomicBoolean();
        rc.response().closeHandler(v -> gone.set(true));
        SseWriter sse = new SseWriter(rc.response());
        String model = request.model() != null ? request.model() : inference.models().get(0).id();
        try {
            GenerationResult result = inference.generate(request, new TokenStream() {
                @Override
                public void onText(String delta) {
                    used[1]++;
                    ObjectNode chunk = envelope(id, created, model);
                    choice(chunk, delta, null);
                    sse.event(chunk);
                }

                @Override
                public boolean isCancelled() {
                    return gone.get();
                }
            });
            used[0] = result.promptTokens();
            used[1] = result.completionTokens();
            if (gone.get()) {
                return;
            }
            ObjectNode last = envelope(id, created, result.model());
            choice(last, "", result.finishReason().wireName());
            sse.event(last);
            if (includeUsage) {
                ObjectNode usage = envelope(id, created, result.model());
                usage.putArray("choices");
                usage.set("usage", Http.usage(result.promptTokens(), result.completionTokens()));
                sse.event(usage);
            }
            sse.done();
        } catch (RuntimeException e) {
            sse.fail(e);
        }
    }

    private static ObjectNode envelope(String id, long created, String model) {
        return Http.JSON.createObjectNode().put("id", id).put("object", "text_completion").put("created", created)
                .put("model", model);
    }

    private static void choice(ObjectNode root, String text, String finishReason) {
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("text", text).put("index", 0).putNull("logprobs");
        choice.put("finish_reason", finishReason);
    }
}
