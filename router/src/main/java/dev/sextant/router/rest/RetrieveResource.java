package dev.sextant.router.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.rag.conversation.ConversationTurn;
import dev.sextant.rag.conversation.QueryRewriter;
import dev.sextant.rag.conversation.RewriteRequest;
import dev.sextant.rag.conversation.RewriteResult;
import dev.sextant.rag.retrieve.RetrievalRequest;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.admission.PromptEstimate;
import dev.sextant.router.auth.Authenticator;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.resilience.GuardedRetriever;
import dev.sextant.router.rest.openapi.ApiDocument;
import dev.sextant.router.rest.openapi.ErrorSchemas.ErrorResponse;
import dev.sextant.router.rest.openapi.RetrieveSchemas;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/retrieve}: the chunks most relevant to a query, best first. Given a conversation
 * ({@code messages}) instead, its last user message is rewritten into a standalone query by the configured
 * {@link QueryRewriter} ({@code sextant.retrieval.rewrite}) first, as chat does.
 */
@Path("/v1/retrieve")
@Tag(name = "Retrieval", description = "sextant's own: the search that chat answers are grounded on.")
@SecurityRequirement(name = ApiDocument.BEARER)
public class RetrieveResource {

    static final int MAX_TOP_K = 100;
    static final int MAX_QUERY_CHARS = 8192;
    static final int MAX_MESSAGES = 100;

    private final GuardedRetriever retriever;
    private final SextantConfig config;
    private final Admission admission;
    private final QueryRewriter rewriter;
    private final Instance<InferenceClient> inference;

    public RetrieveResource(GuardedRetriever retriever, SextantConfig config, Admission admission,
                            QueryRewriter rewriter, Instance<InferenceClient> inference) {
        this.retriever = retriever;
        this.config = config;
        this.admission = admission;
        this.rewriter = rewriter;
        this.inference = inference;
    }

    @POST
    @Blocking
    @Operation(operationId = "retrieve", summary = "Search the caller's documents",
            description = "The chunks of the caller's tenant most relevant to a query, best first. Given "
                    + "`messages` (a conversation) instead of `query`, the last user message is first rewritten "
                    + "into a standalone query as chat does (`sextant.retrieval.rewrite`: folded with the earlier "
                    + "questions, or condensed by the chat model); otherwise no model runs. Costs nothing, with no "
                    + "rate limit or budget, unless the chat model condenses a follow-up "
                    + "(`sextant.retrieval.rewrite=model`): that generation is admitted and billed as a chat's.")
    @RequestBody(required = true, content = @Content(mediaType = ApiDocument.JSON,
            schema = @Schema(implementation = RetrieveSchemas.Request.class)))
    @APIResponse(responseCode = "200", description = "The matching chunks.", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = RetrieveSchemas.Response.class)))
    @APIResponse(responseCode = "400", description = ApiDocument.BAD_REQUEST, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "413", description = ApiDocument.TOO_LARGE, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "401", description = ApiDocument.UNAUTHORIZED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "404", description = ApiDocument.NOT_SERVED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "503", description = ApiDocument.UNAVAILABLE, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "504", description = ApiDocument.TIMEOUT, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Response retrieve(String json, @Context HttpServerRequest http) {
        Authenticator.Caller caller = admission.authenticate(Http.origin(http));
        String tenant = caller.tenant();
        ObjectNode body = Http.jsonBody(json);
        boolean hasQuery = body.hasNonNull("query");
        boolean hasMessages = body.hasNonNull("messages");
        if (hasQuery == hasMessages) {
            throw ApiException.invalid(hasQuery ? "messages" : "query", hasQuery
                    ? "give either 'query' or 'messages', not both"
                    : "'query' (a search text) or 'messages' (a conversation) is required");
        }
        RewriteResult rewrite = null;
        Map<String, String> headers = Map.of();
        String query;
        if (hasMessages) {
            RewriteRequest conversation = conversation(body);
            var condensing = rewriter.modelCall(conversation);
            if (condensing.isPresent()) {
                Admission.Ticket ticket = admission.admit(caller, new Admission.Work(
                        inference.get().models().get(0).id(), PromptEstimate.turns(condensing.get().messages()),
                        condensing.get().maxTokens(), false));
                headers = ticket.headers();
                try {
                    rewrite = rewriter.rewrite(conversation);
                } finally {
                    ticket.finish(rewrite == null ? 0 : rewrite.promptTokens(),
                            rewrite == null ? 0 : rewrite.completionTokens());
                }
            } else {
                rewrite = rewriter.rewrite(conversation);
            }
            query = rewrite.query();
        } else {
            query = JsonFields.string(body, "query", null);
            checkText("query", "'query'", query);
        }
        int topK = JsonFields.integer(body, "top_k", 5, 1, MAX_TOP_K);
        double minScore = JsonFields.number(body, "min_score", config.retrieval().minScore(), -1.0, 1.0);
        int maxPerSource = JsonFields.integer(body, "max_per_source", config.retrieval().maxPerSource(), 0,
                MAX_TOP_K);
        String mode = JsonFields.string(body, "mode", config.retrieval().mode());
        if (!List.of("hybrid", "dense", "keyword").contains(mode)) {
            throw ApiException.invalid("mode", "'mode' must be one of hybrid, dense, keyword; got '" + mode + "'");
        }
        var request = new RetrievalRequest(tenant, query,
                ChunkStore.SearchMode.valueOf(mode.toUpperCase(Locale.ROOT)), topK, minScore, maxPerSource);
        var result = retriever.retrieve(request);
        ObjectNode out = Http.JSON.createObjectNode();
        if (rewrite != null) {
            out.put("query", query);
            out.put("rewrite", rewrite.method().label());
        }
        ArrayNode results = out.putArray("results");
        for (var match : result.matches()) {
            var chunk = match.chunk();
            ObjectNode r = results.addObject();
            r.put("source", chunk.source());
            r.put("chunk_id", chunk.id());
            r.put("score", match.score());
            r.put("title", chunk.title());
            r.set("heading_path", Http.JSON.valueToTree(chunk.headingPath()));
            r.put("text", chunk.text());
        }
        return Http.json(200, out, headers);
    }

    /**
     * The conversation of {@code messages}, checked as chat checks it, tool messages left out; the last message
     * must be the user's question.
     */
    private static RewriteRequest conversation(ObjectNode body) {
        List<ChatMessage> messages = ChatRequests.messages(body.get("messages"));
        if (messages.size() > MAX_MESSAGES) {
            throw ApiException.invalid("messages", "'messages' has " + messages.size() + " messages; at most "
                    + MAX_MESSAGES);
        }
        ChatMessage last = messages.get(messages.size() - 1);
        if (!last.role().equals("user")) {
            throw ApiException.invalid("messages", "the last of 'messages' must be the user's question, got one of "
                    + "role " + last.role());
        }
        List<ConversationTurn> turns = new java.util.ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m.role().equals("tool")) {
                continue;
            }
            if (m.role().equals("user")) {
                checkText("messages[" + i + "].content", "messages[" + i + "].content", m.content());
            }
            turns.add(new ConversationTurn(m.role(), m.content()));
        }
        return new RewriteRequest(turns);
    }

    private static void checkText(String param, String name, String text) {
        if (text == null) {
            throw ApiException.invalid(param, name + " is required");
        }
        if (text.isBlank()) {
            throw ApiException.invalid(param, name + " must not be empty");
        }
        if (text.length() > MAX_QUERY_CHARS) {
            throw ApiException.invalid(param, name + " has " + text.length() + " characters; at most "
                    + MAX_QUERY_CHARS);
        }
    }
}
