package dev.sextant.rag.retrieve;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.rag.rerank.Reranker;
import dev.sextant.rag.store.ChunkStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
    private final Reranker reranker;

    public Retriever(EmbeddingModel embeddings, ChunkStore store) {
        this(embeddings, store, new ChunkFusion());
    }

    public Retriever(EmbeddingModel embeddings, ChunkStore store, Fusion fusion) {
        this(embeddings, store, fusion, Reranker.NONE);
    }

    /** @param reranker reorders the first {@link #RERANK_DEPTH} fused candidates of a hybrid search */
    public Retriever(EmbeddingModel embeddings, ChunkStore store, Fusion fusion, Reranker reranker) {
        this.embeddings = Objects.requireNonNull(embeddings);
        this.store = Objects.requireNonNull(store);
        this.fusion = Objects.requireNonNull(fusion);
        this.reranker = Objects.requireNonNull(reranker);
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
            evidence = Evidence.of(request.query(), dense, keyword);
        } else {
            matches = search(request, vector, request.mode(), fetch);
            evidence = request.mode() == ChunkStore.SearchMode.DENSE ? Evidence.of(request.query(), matches, List.of())
                    : Evidence.of(request.query(), List.of(), matches);
        }
        return new RetrievalResult(limitPerSource(matches, request), tokens, evidence);
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
