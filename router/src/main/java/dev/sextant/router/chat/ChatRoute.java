package dev.sextant.router.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.router.config.Roles;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.http.Http;
import io.quarkus.vertx.web.Route;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code POST /v1/chat/completions}: OpenAI-compatible, as one JSON response or as server-sent events. */
@ApplicationScoped
public class ChatRoute {

    private final ChatService chat;
    private final SextantConfig config;

    public ChatRoute(ChatService chat, SextantConfig config) {
        this.chat = chat;
        this.config = config;
    }

    @Route(path = "/v1/chat/completions", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    void completions(RoutingContext rc) {
        Http.serve(rc, () -> {
            if (!Roles.servesGeneration(config)) {
                throw Http.notFound(rc);
            }
            ChatCompletionRequest request = ChatCompletionRequest.parse(Http.jsonBody(rc),
                    config.inference().defaultMaxTokens());
            String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
            long created = System.currentTimeMillis() / 1000;
            if (request.stream()) {
                stream(rc, request, id, created);
            } else {
                Http.sendJson(rc, 200, completion(id, created, answer(request, TokenStream.DISCARD)));
            }
        });
    }

    private void stream(RoutingContext rc, ChatCompletionRequest request, String id, long created) {
        HttpServerResponse response = rc.response();
        AtomicBoolean gone = new AtomicBoolean();
        response.closeHandler(v -> gone.set(true));
        SseWriter sse = new SseWriter(response);
        String[] model = {chat.modelFor(request)};
        TokenStream tokens = new TokenStream() {
            private boolean started;

            @Override
            public void onText(String delta) {
                if (!started) {
                    started = true;
                    ObjectNode role = Http.JSON.createObjectNode().put("role", "assistant").put("content", "");
                    sse.event(chunk(id, created, model[0], role, null));
                }
                sse.event(chunk(id, created, model[0], Http.JSON.createObjectNode().put("content", delta), null));
            }

            @Override
            public boolean isCancelled() {
                return gone.get();
            }
        };
        try {
            var answer = answer(request, tokens);
            model[0] = answer.model();
            if (gone.get()) {
                return;
            }
            sse.event(chunk(id, created, answer.model(), Http.JSON.createObjectNode(), answer.finishReason()));
            if (retrieves() || request.includeUsageInStream()) {
                ObjectNode tail = chunk(id, created, answer.model(), null, null);
                if (retrieves()) {
                    tail.set("citations", Http.JSON.valueToTree(answer.citations()));
                }
                if (request.includeUsageInStream()) {
                    tail.set("usage", Http.usage(answer.promptTokens(), answer.completionTokens()));
                }
                sse.event(tail);
            }
            sse.done();
        } catch (RuntimeException e) {
            sse.fail(e);
        }
    }

    /** The inference-only service answers from the model alone; the all-in-one server retrieves first. */
    private boolean retrieves() {
        return Roles.retrieves(config);
    }

    private ChatService.ChatAnswer answer(ChatCompletionRequest request, TokenStream stream) {
        return retrieves() ? chat.answer(request, config.defaultTenant(), stream)
                : chat.answerWithoutRetrieval(request, stream);
    }

    private static ObjectNode chunk(String id, long created, String model, ObjectNode delta, String finishReason) {
        ObjectNode root = Http.JSON.createObjectNode();
        root.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
        ArrayNode choices = root.putArray("choices");
        if (delta != null) {
            ObjectNode choice = choices.addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
            choice.put("finish_reason", finishReason);
        }
        return root;
    }

    private ObjectNode completion(String id, long created, ChatService.ChatAnswer answer) {
        ObjectNode root = Http.JSON.createObjectNode();
        root.put("id", id).put("object", "chat.completion").put("created", created).put("model", answer.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer.text());
        choice.put("finish_reason", answer.finishReason());
        root.set("usage", Http.usage(answer.promptTokens(), answer.completionTokens()));
        if (retrieves()) {
            root.set("citations", Http.JSON.valueToTree(answer.citations()));
            root.put("cached", answer.cached());
        }
        return root;
    }
}
