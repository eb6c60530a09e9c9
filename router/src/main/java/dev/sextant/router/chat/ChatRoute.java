package dev.sextant.router.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.admission.PromptEstimate;
import dev.sextant.router.budget.PriceTable;
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
    private final Admission admission;
    private final PriceTable prices;

    public ChatRoute(ChatService chat, SextantConfig config, Admission admission, PriceTable prices) {
        this.prices = prices;
        this.chat = chat;
        this.config = config;
        this.admission = admission;
    }

    @Route(path = "/v1/chat/completions", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    void completions(RoutingContext rc) {
        Http.serve(rc, () -> {
            if (!Roles.servesGeneration(config)) {
                throw Http.notFound(rc);
            }
            admission.authenticate(rc);
            ChatCompletionRequest request = ChatCompletionRequest.parse(Http.jsonBody(rc),
                    config.inference().defaultMaxTokens());
            int context = retrieves() ? config.retrieval().contextTokens() : 0;
            Admission.Ticket ticket = admission.admit(rc, new Admission.Work(chat.modelFor(request),
                    PromptEstimate.chat(request.messages(), context), request.maxTokens(), false));
            Usage usage = new Usage();
            try {
                String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
                long created = System.currentTimeMillis() / 1000;
                if (request.stream()) {
                    stream(rc, request, ticket.caller().tenant(), id, created, usage);
                } else {
                    var answer = answer(request, ticket.caller().tenant(), TokenStream.DISCARD);
                    usage.set(answer);
                    Http.sendJson(rc, 200, completion(id, created, answer));
                }
            } finally {
                ticket.finish(usage.prompt, usage.completion);
            }
        });
    }

    /** Tokens used, known at the end, or counted as streamed when the request fails half-way. */
    private static final class Usage {
        long prompt;
        long completion;

        /** A cached answer ran no model: it costs nothing. */
        void set(ChatService.ChatAnswer answer) {
            prompt = answer.cached() ? 0 : answer.promptTokens();
            completion = answer.cached() ? 0 : answer.completionTokens();
        }
    }

    private void stream(RoutingContext rc, ChatCompletionRequest request, String tenant, String id, long created,
                        Usage usage) {
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
                usage.completion++;
                sse.event(chunk(id, created, model[0], Http.JSON.createObjectNode().put("content", delta), null));
            }

            @Override
            public boolean isCancelled() {
                return gone.get();
            }
        };
        try {
            var answer = answer(request, tenant, tokens);
            usage.set(answer);
            model[0] = answer.model();
            if (gone.get()) {
                return;
            }
            sse.event(chunk(id, created, answer.model(), Http.JSON.createObjectNode(), answer.finishReason()));
            if (retrieves() || request.includeUsageInStream()) {
                ObjectNode tail = chunk(id, created, answer.model(), null, null);
                if (retrieves()) {
                    tail.set("citations", Http.JSON.valueToTree(answer.citations()));
                    tail.put("retrieval", answer.retrieval());
                    tail.put("cached", answer.cached());
                }
                if (request.includeUsageInStream()) {
                    tail.set("usage", usage(answer));
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

    private ChatService.ChatAnswer answer(ChatCompletionRequest request, String tenant, TokenStream stream) {
        return retrieves() ? chat.answer(request, tenant, stream)
                : chat.answerWithoutRetrieval(request, stream);
    }

    /** OpenAI's usage object, plus what the answer cost by the price table (nothing when served from cache). */
    private ObjectNode usage(ChatService.ChatAnswer answer) {
        double cost = answer.cached() ? 0 : PriceTable.nanosToDollars(prices.chatNanos(answer.model(),
                answer.promptTokens(), answer.completionTokens()));
        return Http.usage(answer.promptTokens(), answer.completionTokens()).put("cost_usd", cost);
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
        root.set("usage", usage(answer));
        if (retrieves()) {
            root.set("citations", Http.JSON.valueToTree(answer.citations()));
            root.put("cached", answer.cached());
            root.put("retrieval", answer.retrieval());
        }
        return root;
    }
}
