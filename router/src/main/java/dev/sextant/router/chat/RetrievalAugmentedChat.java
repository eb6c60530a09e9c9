package dev.sextant.router.chat;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.ResponseFormat;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.rag.conversation.ConversationTurn;
import dev.sextant.rag.conversation.QueryRewriter;
import dev.sextant.rag.conversation.RewriteRequest;
import dev.sextant.rag.conversation.RewriteResult;
import dev.sextant.rag.retrieve.ContextBuilder;
import dev.sextant.rag.retrieve.RetrievalRequest;
import dev.sextant.rag.retrieve.RetrievalResult;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.router.admission.PromptEstimate;
import dev.sextant.router.answer.Citation;
import dev.sextant.router.answer.CitationMarkers;
import dev.sextant.router.cache.ResponseCache;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.resilience.GuardedEmbeddingModel;
import dev.sextant.router.resilience.GuardedRetriever;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Answers a chat request with retrieval-augmented generation: retrieve chunks for the last user message (a follow-up
 * rewritten into the standalone question it continues, see {@link QueryRewriter}), put them into the prompt as numbered context, generate, and return the answer with citations. Answers are cached (exact
 * and semantic layers, see {@link ResponseCache}); a cached answer is served only while every document it cited is
 * unchanged.
 */
@ApplicationScoped
@Typed(RetrievalAugmentedChat.class)
public class RetrievalAugmentedChat implements ChatBackend {

    private static final Logger LOG = Logger.getLogger(RetrievalAugmentedChat.class);

    private final GuardedRetriever retriever;
    private final ContextBuilder contextBuilder;
    private final InferenceClient inference;
    private final ResponseCache cache;
    private final SextantConfig config;
    private final EmbeddingModel embeddings;
    private final ChunkStore store;
    private final MeterRegistry registry;
    private final AnswerabilityGate gate;
    private final QueryRewriter rewriter;

    public RetrievalAugmentedChat(GuardedRetriever retriever, ContextBuilder contextBuilder, InferenceClient inference,
                       ResponseCache cache, SextantConfig config, MeterRegistry registry,
                       GuardedEmbeddingModel embeddings, ChunkStore store, AnswerabilityGate gate,
                       QueryRewriter rewriter) {
        this.retriever = retriever;
        this.contextBuilder = contextBuilder;
        this.inference = inference;
        this.cache = cache;
        this.config = config;
        this.registry = registry;
        this.embeddings = embeddings;
        this.store = store;
        this.gate = gate;
        this.rewriter = rewriter;
    }

    @Override
    public WorstCase worstCase(ChatCompletionRequest request) {
        long prompt = PromptEstimate.chat(request.messages(), config.retrieval().contextTokens());
        long completion = request.maxTokens();
        List<ConversationTurn> turns = turns(request.messages());
        if (!turns.isEmpty() && !turns.get(turns.size() - 1).content().isBlank()) {
            var condensing = rewriter.modelCall(new RewriteRequest(turns));
            if (condensing.isPresent()) {
                prompt += PromptEstimate.turns(condensing.get().messages());
                completion += condensing.get().maxTokens();
            }
        }
        return new WorstCase(prompt, completion);
    }

    @Override
    public ChatAnswer answer(ChatQuery query) {
        ChatCompletionRequest request = query.request();
        // A follow-up is searched, and looked up in the cache, as the standalone question it continues: retrieved
        // alone, "and how do I undo that?" finds the wrong pages, and its cache key would match any conversation's.
        RewriteRequest conversation = new RewriteRequest(turns(request.messages()));
        RewriteResult rewrite = rewriter.rewrite(conversation);
        registry.counter("sextant.query.rewrites", "method", rewrite.method().label()).increment();
        if (rewrite.fallback() != null) {
            LOG.debugf("query rewrite fell back: %s", rewrite.fallback());
        }
        ChatAnswer answer = answer(query, rewrite, conversation.message());
        if (rewrite.promptTokens() + rewrite.completionTokens() == 0) {
            return answer;
        }
        // The condensing call is billed with the answer it was made for (even a cached or refused one).
        return new ChatAnswer(answer.model(), answer.text(), answer.finishReason(),
                Math.toIntExact(answer.promptTokens() + rewrite.promptTokens()),
                Math.toIntExact(answer.completionTokens() + rewrite.completionTokens()), answer.citations(),
                answer.cached(), answer.retrieval(), answer.coverage(), answer.logprobs());
    }

    /** @param asked the last user message as written (what {@code rewrite} made standalone) */
    private ChatAnswer answer(ChatQuery query, RewriteResult rewrite, String asked) {
        ChatCompletionRequest request = query.request();
        String tenant = query.tenant();
        TokenStream stream = query.stream();
        String model = modelFor(request);
        String question = rewrite.query();
        // A rewritten follow-up stays out of the semantic layer both ways: "how do I rebase? and how do I undo
        // that?" embeds close to "how do I rebase?", whose answer it must not get nor give. Its exact text (the
        // same conversation's questions) still hits.
        boolean semantic = config.cache().semantic() && rewrite.method() == RewriteResult.Method.AS_ASKED;
        float[] vector = null;
        RagPrompt.Layout layout = RagPrompt.Layout.of(config.retrieval().contextLayout());
        ResponseCache.Scope scope = new ResponseCache.Scope(tenant, model, layout.version(),
                embeddings.name() + "/" + config.store().type(), settings(request));
        // A cached answer has no log-probabilities to give: a request for them is answered by the model.
        boolean cacheable = config.cache().enabled() && !request.logprobs();
        if (cacheable) {
            // The exact layer first: a repeated question is answered without running the embedder at all.
            var hit = cache.lookup(new ResponseCache.LookupRequest(scope, question, null,
                    config.cache().similarity()));
            if (hit.isEmpty() && semantic) {
                vector = embedOrNull(question);
                if (vector != null) {
                    hit = cache.lookup(new ResponseCache.LookupRequest(scope, question, vector,
                            config.cache().similarity()));
                }
            }
            if (hit.isPresent() && current(tenant, hit.get())) {
                lookups(hit.get().exact() ? "hit_exact" : "hit_semantic").increment();
                // Only covered (or unchecked) answers are cached; one is covered wherever the gate is on.
                return replay(model, hit.get().answer(), stream,
                        gate.mode(tenant) == AnswerabilityGate.Mode.OFF ? Coverage.UNCHECKED : Coverage.COVERED);
            }
            lookups(hit.isPresent() ? "stale" : "miss").increment();
            if (vector == null && config.cache().semantic()) {
                // Needed for retrieval anyway, and stored with the new answer for the semantic layer.
                vector = embedOrNull(question);
            }
        }

        RetrievalRequest retrievalRequest = new RetrievalRequest(tenant, question,
                ChunkStore.SearchMode.valueOf(config.retrieval().mode().toUpperCase(Locale.ROOT)),
                config.retrieval().topK(), config.retrieval().minScore(), config.retrieval().maxPerSource(),
                vector, gate.mode(tenant) != AnswerabilityGate.Mode.OFF,
                rewrite.method() == RewriteResult.Method.AS_ASKED ? null : asked);
        List<ScoredChunk> matches;
        boolean retrieved = true;
        Coverage coverage = Coverage.UNCHECKED;
        try {
            AnswerabilityGate.Decision decision = gate.decide(tenant, retriever.retrieve(retrievalRequest));
            if (decision.refuse()) {
                checkAnswerable(request, model);
                if (request.format() instanceof ResponseFormat.Text) {
                    return refusal(model, stream);
                }
                // A structured answer must stay a document of its schema: the model answers without passages,
                // and the answer is flagged as not covered.
                matches = List.of();
                coverage = Coverage.NOT_COVERED;
            } else {
                matches = decision.passages();
                coverage = decision.coverage();
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            if (config.retrieval().onFailure().equals("fail")) {
                throw new RetrievalUnavailableException("retrieval failed: " + e.getMessage(), e);
            }
            LOG.warnf("retrieval failed, answering without context (sextant.retrieval.on-failure=no-context): %s",
                    e.getMessage());
            registry.counter("sextant.retrieval.failures").increment();
            matches = List.of();
            retrieved = false;
        }
        ContextBuilder.Context context = contextBuilder.build(matches);
        CitationMarkers markers = request.format() instanceof ResponseFormat.Text
                ? new CitationMarkers(context.used().size(), stream) : CitationMarkers.unchecked(stream);

        GenerationResult result = inference.generate(new GenerationRequest(request.model(),
                Prompt.chat(RagPrompt.build(layout, request.messages(), context, retrieved)), request.maxTokens(),
                request.stop(), request.sampling(), config.inference().timeout(), request.ignoreEos())
                .withFormat(request.format()).withLogprobs(request.topLogprobs()), markers);
        markers.finish();
        String text = markers.text();
        List<Citation> citations = markers.order(citations(context.used()));
        // An answer made without context because retrieval failed is not worth keeping, nor one flagged uncovered.
        if (retrieved && coverage != Coverage.NOT_COVERED && cacheable && !stream.isCancelled()
                && (result.finishReason() == FinishReason.STOP || result.finishReason() == FinishReason.LENGTH)) {
            Map<String, String> sourceHashes = new HashMap<>();
            context.used().forEach(c -> sourceHashes.put(c.chunk().source(),
                    Objects.toString(c.chunk().documentHash(), "")));
            cache.store(new ResponseCache.StoreRequest(scope, question, semantic ? vector : null,
                    new ResponseCache.CachedAnswer(text, result.finishReason().wireName(), result.promptTokens(),
                            result.completionTokens(), citations, sourceHashes)));
        }
        return new ChatAnswer(result.model(), text, result.finishReason().wireName(),
                result.promptTokens(), result.completionTokens(), citations, false,
                retrieved ? "ok" : "unavailable", coverage, result.logprobs());
    }

    /**
     * What the model would have refused, a refusal does not hide: an unknown model, or a conversation longer than the
     * model's context (counted with the embedder's tokenizer, as the inference service may be remote).
     */
    private void checkAnswerable(ChatCompletionRequest request, String model) {
        var info = inference.models().stream().filter(m -> m.id().equals(model)).findFirst()
                .orElseThrow(() -> new InferenceException(InferenceException.Kind.MODEL_NOT_FOUND, "model '" + model
                        + "' does not exist; available: " + String.join(", ",
                        inference.models().stream().map(InferenceClient.ModelInfo::id).toList())));
        int tokens = request.messages().stream().mapToInt(m -> contextBuilder.tokens(m.content())).sum();
        if (tokens >= info.contextLength()) {
            throw new InferenceException(InferenceException.Kind.INVALID_REQUEST, "prompt has about " + tokens
                    + " tokens; the model's context length is " + info.contextLength());
        }
    }

    /** The fixed answer to a question the documents do not cover: no model call, no citations, nothing cached. */
    private ChatAnswer refusal(String model, TokenStream stream) {
        String text = gate.refusal();
        if (!stream.isCancelled()) {
            stream.onText(text);
        }
        return new ChatAnswer(model, text, FinishReason.STOP.wireName(), 0, 0, List.of(), false, "ok",
                Coverage.NOT_COVERED);
    }

    /** The question's vector for the semantic cache layer; without it (embeddings down) only the exact layer. */
    private float[] embedOrNull(String question) {
        try {
            return embeddings.embed(EmbeddingRequest.of(question)).first();
        } catch (RuntimeException e) {
            LOG.warnf("semantic cache lookup skipped, cannot embed the question: %s", e.getMessage());
            return null;
        }
    }

    /**
     * Whether every document the cached answer cited is still stored with the same content; entries citing a
     * re-ingested or deleted document are dropped.
     */
    private boolean current(String tenant, ResponseCache.Hit hit) {
        Map<String, String> cited = hit.answer().sourceHashes();
        if (cited.isEmpty()) {
            return true;
        }
        Map<String, String> now = store.documents(new ChunkStore.DocumentListingRequest(tenant, cited.keySet()))
                .hashBySource();
        Set<String> changed = new HashSet<>();
        cited.forEach((source, hash) -> {
            if (!hash.equals(now.get(source))) {
                changed.add(source);
            }
        });
        if (changed.isEmpty()) {
            return true;
        }
        cache.invalidate(ResponseCache.InvalidateRequest.sources(tenant, changed));
        return false;
    }

    /** A cached answer, streamed word by word like a generated one. */
    private static ChatAnswer replay(String model, ResponseCache.CachedAnswer answer, TokenStream stream,
                                     Coverage coverage) {
        var pieces = java.util.regex.Pattern.compile("\\S+\\s*|\\s+").matcher(answer.text());
        while (pieces.find() && !stream.isCancelled()) {
            stream.onText(pieces.group());
        }
        return new ChatAnswer(model, answer.text(), answer.finishReason(), answer.promptTokens(),
                answer.completionTokens(), answer.citations(), true, "ok", coverage);
    }

    private Counter lookups(String result) {
        return registry.counter("sextant.cache.lookups", "result", result);
    }

    /** The conversation as the rewriter sees it: user and assistant turns (system prompts are not questions). */
    private static List<ConversationTurn> turns(List<ChatMessage> messages) {
        List<ConversationTurn> turns = new ArrayList<>();
        int lastUser = -1;
        for (ChatMessage m : messages) {
            if (m.role().equals("user") || m.role().equals("assistant")) {
                turns.add(new ConversationTurn(m.role(), m.content()));
                lastUser = m.role().equals("user") ? turns.size() : lastUser;
            }
        }
        // What follows the last question (a client's prefilled assistant turn) is not part of it.
        return turns.subList(0, Math.max(lastUser, 0));
    }

    /** Generation settings and system prompts: answers made under other settings are not reused. */
    private static String settings(ChatCompletionRequest request) {
        StringBuilder sb = new StringBuilder();
        request.messages().stream().filter(m -> m.role().equals("system"))
                .forEach(m -> sb.append(m.content().strip()).append('\u0000'));
        sb.append(request.maxTokens()).append('\u0000').append(request.sampling()).append('\u0000')
                .append(request.stop()).append('\u0000').append(request.ignoreEos()).append('\u0000')
                .append(request.format());
        return ResponseCache.sha256(sb.toString());
    }

    @Override
    public String modelFor(ChatCompletionRequest request) {
        return request.model() != null ? request.model() : inference.models().get(0).id();
    }

    private static List<Citation> citations(List<ScoredChunk> used) {
        List<Citation> out = new ArrayList<>();
        for (int i = 0; i < used.size(); i++) {
            var c = used.get(i).chunk();
            out.add(new Citation(i + 1, c.source(), c.id(), used.get(i).score(), c.title(), c.text(), false));
        }
        return out;
    }

}
