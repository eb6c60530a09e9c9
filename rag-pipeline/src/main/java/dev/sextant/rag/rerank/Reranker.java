package dev.sextant.rag.rerank;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.List;
import java.util.Objects;

/**
 * Reorders the first candidates of a retrieval with a costlier look at each of them than the stores' searches take.
 * It sees the fused ranking and the two rankings it came from, so it can use their scores as evidence.
 */
public interface Reranker {

    /** Keeps the fused order. */
    Reranker NONE = request -> new RerankResult(request.candidates());

    RerankResult rerank(RerankRequest request);

    /**
     * @param query      the query as typed
     * @param candidates the fused ranking, best first: what is reordered
     * @param dense      the dense ranking the candidates came from, best first, scores cosine (empty for keyword
     *                   search)
     * @param keyword    the keyword ranking, best first, scores BM25 (empty for dense search)
     */
    record RerankRequest(String query, List<ScoredChunk> candidates, List<ScoredChunk> dense,
                         List<ScoredChunk> keyword) {
        public RerankRequest {
            Objects.requireNonNull(query, "query");
            candidates = List.copyOf(candidates);
            dense = List.copyOf(dense);
            keyword = List.copyOf(keyword);
        }
    }

    /** The candidates in their new order, each with the reranker's score; none added, none dropped. */
    record RerankResult(List<ScoredChunk> ranked) {
        public RerankResult {
            ranked = List.copyOf(ranked);
        }
    }
}
