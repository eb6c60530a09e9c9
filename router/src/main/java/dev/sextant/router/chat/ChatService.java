package dev.sextant.router.chat;

import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.rag.retrieve.ContextBuilder;
import dev.sextant.rag.retrieve.RetrievalRequest;
import dev.sextant.rag.retrieve.Retriever;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.router.cache.ResponseCache;
import dev.sextant.router.config.SextantConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Answers a chat request with retrieval-augmented generation: retrieve chunks for the last user message, put them
 * into the prompt as numbered context, generate, and return the answer with citations. Answers are cached under a
 * key that includes the retrieved chunk ids.
 */
@ApplicationScoped
public class ChatService {

    static final String PROMPT_VERSION = "rag-v1";
    private static final String INSTRUCTIONS = "You are a helpful assistant. Answer the question using the "
            + "numbered context passages below and cite them like [1]. If the context does not contain the answer, "
            + "say that you do not know.";

    private final Retriever retriever;
    private final ContextBuilder contextBuilder;
    private final InferenceClient inference;
    private final ResponseCache cache;
    private final SextantConfig config;
    private final Counter cacheHits;
    private final Counter cacheMisses;

    public ChatService(Retriever retriever, ContextBuilder contextBuilder, InferenceClient inference,
                       ResponseCache cache, SextantConfig config, MeterRegistry registry) {
        this.retriever = retriever;
        this.contextBuilder = contextBuilder;
        this.inference = inference;
        this.cache = cache;
        this.config = config;
        this.cacheHits = registry.counter("sextant.cache.lookups", "result", "hit");
        this.cacheMisses = registry.counter("sextant.cache.lookups", "result", "miss");
    }

    public record ChatAnswer(String model, String text, String finishReason, int promptTokens,
                             int completionTokens, List<Citation> citations, boolean cached) {
    }

    /** A plain completion of the conversation, without retrieval or cache (the inference service's chat API). */
    public ChatAnswer answerWithoutRetrieval(ChatCompletionRequest request, TokenStream stream) {
        GenerationResult result = inference.generate(new GenerationRequest(request.model(),
                Prompt.chat(request.messages()), request.maxTokens(), request.stop(), request.sampling(),
                config.inference().timeout()), stream);
        return new ChatAnswer(result.model(), result.text(), result.finishReason().wireName(),
                result.promptTokens(), result.completionTokens(), List.of(), false);
    }

    public ChatAnswer answer(ChatCompletionRequest request, String tenant, TokenStream stream) {
        var retrieval = retriever.retrieve(new RetrievalRequest(tenant, request.lastUserMessage(),
                ChunkStore.SearchMode.valueOf(config.retrieval().mode().toUpperCase(Locale.ROOT)),
                config.retrieval().topK(), config.retrieval().minScore(), config.retrieval().maxPerSource()));
        ContextBuilder.Context context = contextBuilder.build(retrieval.matches());
        List<Citation> citations = citations(context.used());
        String model = modelFor(request);

        ResponseCache.CacheKey key = new ResponseCache.CacheKey(tenant, model, fingerprint(request, context));
        if (config.cache().enabled()) {
            var hit = cache.lookup(key);
            if (hit.isPresent()) {
                cacheHits.increment();
                var answer = hit.get();
                stream.onText(answer.text());
                return new ChatAnswer(model, answer.text(), answer.finishReason(), answer.promptTokens(),
                        answer.completionTokens(), answer.citations(), true);
            }
            cacheMisses.increment();
        }

        GenerationResult result = inference.generate(new GenerationRequest(request.model(),
                Prompt.chat(withContext(request.messages(), context)), request.maxTokens(), request.stop(),
                request.sampling(), config.inference().timeout()), stream);
        if (config.cache().enabled()
                && (result.finishReason() == FinishReason.STOP || result.finishReason() == FinishReason.LENGTH)) {
            cache.store(key, new ResponseCache.CachedAnswer(result.text(), result.finishReason().wireName(),
                    result.promptTokens(), result.completionTokens(), citations));
        }
        return new ChatAnswer(result.model(), result.text(), result.finishReason().wireName(),
                result.promptTokens(), result.completionTokens(), citations, false);
    }

    /** The model a request will be answered by. */
    public String modelFor(ChatCompletionRequest request) {
        return request.model() != null ? request.model() : inference.models().get(0).id();
    }

    private static List<ChatMessage> withContext(List<ChatMessage> messages, ContextBuilder.Context context) {
        String system = INSTRUCTIONS + "\n\nContext:\n" + (context.isEmpty() ? "(no relevant passages found)"
                : context.text());
        List<ChatMessage> out = new ArrayList<>();
        out.add(new ChatMessage("system", system));
        for (ChatMessage m : messages) {
            // The caller's own system prompt follows ours so it can refine tone without losing the context.
            out.add(m);
        }
        return out;
    }

    private static List<Citation> citations(List<ScoredChunk> used) {
        List<Citation> out = new ArrayList<>();
        for (int i = 0; i < used.size(); i++) {
            var c = used.get(i).chunk();
            out.add(new Citation(i + 1, c.source(), c.id(), used.get(i).score(), c.title()));
        }
        return out;
    }

    private static String fingerprint(ChatCompletionRequest request, ContextBuilder.Context context) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, PROMPT_VERSION);
            for (ChatMessage m : request.messages()) {
                update(digest, m.role());
                update(digest, m.content().strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT));
            }
            update(digest, Integer.toString(request.maxTokens()));
            update(digest, request.sampling().toString());
            request.stop().forEach(s -> update(digest, s));
            context.used().forEach(c -> update(digest, c.chunk().id()));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String s) {
        digest.update(s.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
