package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore;
import java.util.Objects;

/**
 * @param mode     dense, keyword (BM25) or hybrid (both, rank-fused)
 * @param minScore     drop dense matches with a cosine similarity below this
 * @param maxPerSource at most this many chunks of one source (document) in the result; 0 for no limit
 * @param queryVector  the query's embedding when the caller has it already (e.g. for a cache lookup); else null
 */
public record RetrievalRequest(String tenant, String query, ChunkStore.SearchMode mode, int topK, double minScore,
                               int maxPerSource, float[] queryVector) {

    public RetrievalRequest(String tenant, String query, ChunkStore.SearchMode mode, int topK, double minScore) {
        this(tenant, query, mode, topK, minScore, 0, null);
    }

    public RetrievalRequest(String tenant, String query, ChunkStore.SearchMode mode, int topK, double minScore,
                            int maxPerSource) {
        this(tenant, query, mode, topK, minScore, maxPerSource, null);
    }

    public RetrievalRequest {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(mode, "mode");
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query must not be empty");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be positive, got " + topK);
        }
        if (maxPerSource < 0) {
            throw new IllegalArgumentException("maxPerSource must be >= 0, got " + maxPerSource);
        }
    }
}
