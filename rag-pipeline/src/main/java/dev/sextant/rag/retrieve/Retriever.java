package dev.sextant.rag.retrieve;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.rag.chunk.TokenCounter;
import dev.sextant.rag.rerank.Reranker;
import dev.sextant.rag.store.ChunkStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Finds the chunks most relevant to a query: embed it (unless keyword-only), then search the store. A hybrid search
 * asks the store for the dense and the keyword ranking separately and merges them with its {@link Fusion}, so the
 * fusion is the same whichever store holds the chunks.
 */
public final class Retriever {

    private static final int OVERFETCH = 4;
    private static final int MAX_FETCH = 200;
    /** Candidates of each ranking per chunk wanted from a hybrid search (the stores' own hybrid depth). */
    private static final int HYBRID_DEPTH = 4;
    /** Fused candidates a reranker reorders (at least the chunks wanted). */
    static final int RERANK_DEPTH = 30;

    private final EmbeddingModel embeddings;
    private final ChunkStore store;
    private final Fusion fusion;
    private final TokenCounter vocabulary;
    private final Reranker reranker;

    public Retriever(EmbeddingModel embeddings, ChunkStore store) {
        this(embeddings, store, new ChunkFusion());
    }

    public Retriever(EmbeddingModel embeddings, ChunkStore store, Fusion fusion) {
        this(embeddings, store, fusion, Reranker.NONE, null);
    }

    /** @param reranker reorders the first {@link #RERANK_DEPTH} fused candidates of a hybrid search */
    public Retriever(EmbeddingModel embeddings, ChunkStore store, Fusion fusion, Reranker reranker) {
        this(embeddings, store, fusion, reranker, null);
    }

    /**
     * @param reranker   reorders the first {@link #RERANK_DEPTH} fused candidates of a hybrid search
     * @param vocabulary the embedder's tokenizer, to tell everyday words (one token: {@code huge}, {@code packet})
     *                   from rare ones ({@code patroni}, {@code sqlalchemy}: several pieces) for
     *                   {@link Evidence#unknownTerms()}; null: every word counts as rare
     */
    public Retriever(EmbeddingModel embeddings, ChunkStore store, Fusion fusion, Reranker reranker,
                     TokenCounter vocabulary) {
        this.embeddings = Objects.requireNonNull(embeddings);
        this.store = Objects.requireNonNull(store);
        this.fusion = Objects.requireNonNull(fusion);
        this.reranker = Objects.requireNonNull(reranker);
        this.vocabulary = vocabulary;
    }

    public RetrievalResult retrieve(RetrievalRequest request) {
        float[] vector = null;
        long tokens = 0;
        if (request.queryVector() != null) {
            vector = request.queryVector();
        } else if (request.mode() != ChunkStore.SearchMode.KEYWORD) {
            var embedded = embeddings.embed(EmbeddingRequest.of(request.query()));
            vector = embedded.first();
            tokens = embedded.tokenCount();
        }
        // With a per-source limit, fetch more so that dropping a source's extra chunks still leaves topK.
        int fetch = request.maxPerSource() == 0 ? request.topK() : Math.min(MAX_FETCH, request.topK() * OVERFETCH);
        List<ChunkStore.ScoredChunk> matches;
        Evidence evidence;
        if (request.mode() == ChunkStore.SearchMode.HYBRID) {
            int depth = fetch * HYBRID_DEPTH;
            var dense = search(request, vector, ChunkStore.SearchMode.DENSE, depth);
            var keyword = search(request, vector, ChunkStore.SearchMode.KEYWORD, depth);
            if (reranker == Reranker.NONE) {
                matches = fusion.fuse(new Fusion.FusionRequest(dense, keyword, fetch)).ranked();
            } else {
                var fused = fusion.fuse(new Fusion.FusionRequest(dense, keyword, Math.max(fetch, RERANK_DEPTH)));
                var reranked = reranker.rerank(new Reranker.RerankRequest(request.query(), fused.ranked(), dense,
                        keyword)).ranked();
                matches = reranked.subList(0, Math.min(fetch, reranked.size()));
            }
            evidence = Evidence.of(request.query(), dense, keyword, inCorpus(request));
        } else {
            matches = search(request, vector, request.mode(), fetch);
            evidence = request.mode() == ChunkStore.SearchMode.DENSE
                    ? Evidence.of(request.query(), matches, List.of(), inCorpus(request))
                    : Evidence.of(request.query(), List.of(), matches, inCorpus(request));
        }
        return new RetrievalResult(limitPerSource(matches, request), tokens, evidence.forFollowUp(request.followUp()));
    }

    /**
     * Whether a query word is known: an everyday word of the language (a small corpus need not contain
     * {@code huge} for a question with it to be covered), or one some chunk of the tenant contains (a keyword search
     * for it alone finds something).
     */
    private Predicate<String> inCorpus(RetrievalRequest request) {
        if (!request.corpusTerms()) {
            return word -> true;
        }
        return word -> vocabulary != null && vocabulary.count(word.toLowerCase(Locale.ROOT)) == 1
                || !store.search(new ChunkStore.SearchRequest(request.tenant(), word, null,
                ChunkStore.SearchMode.KEYWORD, 1, 0)).matches().isEmpty();
    }

    private List<ChunkStore.ScoredChunk> search(RetrievalRequest request, float[] vector, ChunkStore.SearchMode mode,
                                                int topK) {
        return store.search(new ChunkStore.SearchRequest(request.tenant(), request.query(), vector, mode, topK,
                request.minScore())).matches();
    }

    private static List<ChunkStore.ScoredChunk> limitPerSource(List<ChunkStore.ScoredChunk> matches,
                                                               RetrievalRequest request) {
        if (request.maxPerSource() == 0) {
            return matches;
        }
        Map<String, Integer> perSource = new HashMap<>();
        List<ChunkStore.ScoredChunk> kept = new ArrayList<>();
        for (ChunkStore.ScoredChunk match : matches) {
            if (kept.size() == request.topK()) {
                break;
            }
            if (perSource.merge(match.chunk().source(), 1, Integer::sum) <= request.maxPerSource()) {
                kept.add(match);
            }
        }
        return kept;
    }
}
