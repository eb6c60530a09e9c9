package dev.sextant.router.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.api.TokenLogprob;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.auth.Authenticator.Caller;
import dev.sextant.router.budget.PriceTable;
import dev.sextant.router.chat.ChatAnswer;
import dev.sextant.router.chat.ChatBackend;
import dev.sextant.router.chat.ChatCompletionRequest;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.rest.openapi.ApiDocument;
import dev.sextant.router.rest.openapi.ChatSchemas;
import dev.sextant.router.rest.openapi.ErrorSchemas.ErrorResponse;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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

/** {@code POST /v1/chat/completions}: OpenAI-compatible, as one JSON response or as server-sent events. */
@Path(ApiSurface.CHAT)
@Tag(name = "Chat", description = "OpenAI's chat completions, answered with retrieved context and citations.")
@SecurityRequirement(name = ApiDocument.BEARER)
public class ChatResource {

    private final ChatBackend chat;
    private final SextantConfig config;
    private final Admission admission;
    private final PriceTable prices;

    public ChatResource(ChatBackend chat, SextantConfig config, Admission admission, PriceTable prices) {
        this.chat = chat;
        this.config = config;
        this.admission = admission;
        this.prices = prices;
    }

    @POST
    @Blocking
    @Operation(operationId = "createChatCompletion", summary = "Answer a conversation",
            description = "On a retrieval deployment the last user message is searched in the caller's tenant's "
                    + "documents and the best chunks go into the prompt; the answer cites them. Answers to the same "
                    + "question may come from the response cache.")
    @RequestBody(required = true, content = @Content(mediaType = ApiDocument.JSON,
            schema = @Schema(implementation = ChatSchemas.Request.class)))
    @APIResponse(responseCode = "200", description = "The answer: one JSON body, or with `\"stream\": true` "
            + "server-sent events ending with `data: [DONE]`.", content = {
                @Content(mediaType = ApiDocument.JSON, schema = @Schema(implementation = ChatSchemas.Completion.class)),
                @Content(mediaType = ApiDocument.EVENT_STREAM,
                        schema = @Schema(implementation = ChatSchemas.Chunk.class))})
    @APIResponse(responseCode = "400", description = ApiDocument.BAD_REQUEST + " Also a prompt longer than the "
            + "model's context length.", content = @Content(mediaType = ApiDocument.JSON,
                    schema = @Schema(implementation = ErrorResponse.class)))
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
    @APIResponse(responseCode = "503", description = ApiDocument.UNAVAILABLE + " Retrieval failing is a 503 only "
            + "with `sextant.retrieval.on-failure=fail`; by default the answer comes without context, flagged "
            + "`\"retrieval\": \"unavailable\"`.", content = @Content(mediaType = ApiDocument.JSON,
                    schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "504", description = ApiDocument.TIMEOUT, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Response completions(String body, @Context HttpServerRequest http, @Context HttpServerResponse connection) {
        Caller caller = admission.authenticate(Http.origin(http));
        ChatCompletionRequest request = ChatRequests.parse(Http.jsonBody(body),
                config.inference().defaultMaxTokens());
        ChatBackend.WorstCase worst = chat.worstCase(request);
        Admission.Ticket ticket = admission.admit(caller, new Admission.Work(chat.modelFor(request),
                worst.promptTokens(), worst.completionTokens(), false));
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        if (!request.stream()) {
            Usage usage = new Usage();
            try {
                ChatAnswer answer = chat.answer(new ChatBackend.ChatQuery(request, caller.tenant(),
                        TokenStream.DISCARD));
                usage.set(answer);
                return Http.json(200, completion(id, created, request, answer), ticket.headers());
            } finally {
                ticket.finish(usage.prompt, usage.completion);
            }
        }
        return SseStream.response(connection, ticket.headers(), events -> {
            Usage usage = new Usage();
            try {
                stream(events, request, caller.tenant(), id, created, usage);
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
        void set(ChatAnswer answer) {
            prompt = answer.cached() ? 0 : answer.promptTokens();
            completion = answer.cached() ? 0 : answer.completionTokens();
        }
    }

    private void stream(SseStream.Events events, ChatCompletionRequest request, String tenant, String id,
                        long created, Usage usage) {
        String model = chat.modelFor(request);
        List<TokenLogprob> pendingLogprobs = new ArrayList<>();
        TokenStream tokens = new TokenStream() {
            private boolean started;

            @Override
            public void onText(String delta) {
                if (!started) {
                    started = true;
                    ObjectNode role = Http.JSON.createObjectNode().put("role", "assistant").put("content", "");
                    events.event(chunk(id, created, model, role, null));
                }
                usage.completion++;
                ObjectNode chunk = chunk(id, created, model, Http.JSON.createObjectNode().put("content", delta), null);
                attach(chunk, pendingLogprobs);
                events.event(chunk);
            }

            @Override
            public void onLogprobs(List<TokenLogprob> logprobs) {
                pendingLogprobs.addAll(logprobs);
            }

            @Override
            public boolean isCancelled() {
                return events.gone();
            }
        };
        ChatAnswer answer = chat.answer(new ChatBackend.ChatQuery(request, tenant, tokens));
        usage.set(answer);
        if (events.gone()) {
            return;
        }
        ObjectNode last = chunk(id, created, answer.model(), Http.JSON.createObjectNode(), answer.finishReason());
        attach(last, pendingLogprobs);
        events.event(last);
        if (answer.retrieved() || request.includeUsageInStream()) {
            ObjectNode tail = chunk(id, created, answer.model(), null, null);
            if (answer.retrieved()) {
                tail.set("citations", Http.JSON.valueToTree(answer.citations()));
                tail.put("retrieval", answer.retrieval());
                tail.put("cached", answer.cached());
                putAnswerable(tail, answer);
            }
            if (request.includeUsageInStream()) {
                tail.set("usage", usage(answer));
            }
            events.event(tail);
        }
        events.done();
    }

    /** OpenAI's usage object, plus what the answer cost by the price table (nothing when served from cache). */
    private ObjectNode usage(ChatAnswer answer) {
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

    /** Puts the log-probabilities gathered since the last chunk on this one's choice, and forgets them. */
    private static void attach(ObjectNode chunk, List<TokenLogprob> pending) {
        if (!pending.isEmpty()) {
            ((ObjectNode) chunk.get("choices").get(0)).set("logprobs", LogprobsJson.of(pending));
            pending.clear();
        }
    }

    private ObjectNode completion(String id, long created, ChatCompletionRequest request, ChatAnswer answer) {
        ObjectNode root = Http.JSON.createObjectNode();
        root.put("id", id).put("object", "chat.completion").put("created", created).put("model", answer.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer.text());
        if (request.logprobs()) {
            choice.set("logprobs", LogprobsJson.of(answer.logprobs()));
        }
        choice.put("finish_reason", answer.finishReason());
        root.set("usage", usage(answer));
        if (answer.retrieved()) {
            root.set("citations", Http.JSON.valueToTree(answer.citations()));
            root.put("cached", answer.cached());
            root.put("retrieval", answer.retrieval());
            putAnswerable(root, answer);
        }
        return root;
    }

    /** {@code "answerable"} where the answerability gate decided it; left out where it is off. */
    private static void putAnswerable(ObjectNode node, ChatAnswer answer) {
        Boolean answerable = answer.coverage().answerable();
        if (answerable != null) {
            node.put("answerable", answerable.booleanValue());
        }
    }
}
