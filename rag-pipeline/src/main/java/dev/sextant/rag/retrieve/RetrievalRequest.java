package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore;
import java.util.Objects;

/**
 * @param mode     dense, keyword (BM25) or hybrid (both, rank-fused)
 * @param minScore     drop dense matches with a cosine similarity below this
 * @param maxPerSource at most this many chunks of one source (document) in the result; 0 for no limit
 * @param queryVector  the query's embedding when the caller has it already (e.g. for a cache lookup); else null
 * @param corpusTerms  also look up the query terms no candidate contains in the whole store, for
 *                     {@link Evidence#unknownTerms()} (one keyword search per such term); what an answerability
 *                     decision needs
 * @param followUp     when {@code query} is the standalone rewrite of a follow-up, the follow-up as it was asked (for
 *                     {@link Evidence#followUpUnknownTerms()}); else null
 */
public record RetrievalRequest(String tenant, String query, ChunkStore.SearchMode mode, int topK, double minScore,
                               int maxPerSource, float[] queryVector, boolean corpusTerms, String followUp) {

    public RetrievalRequest(String tenant, String query, ChunkStore.SearchMode mode, int topK, double minScore,
                            int maxPerSource, float[] queryVector, boolean corpusTerms) {
        this(tenant, query, mode, topK, minScore, maxPerSource, queryVector, corpusTerms, null);
    }

    public RetrievalRequest(String tenant, String query, ChunkStore.SearchMode mode, int topK, double minScore,
                            int maxPerSource, float[] queryVector) {
        this(tenant, query, mode, topK, minScore, maxPerSource, queryVector, false);
    }

    public RetrievalRequest(String tenant, String query, ChunkStore.SearchMode mode, int topK, double minScore) {
        this(tenant, query, mode, topK, minScore, 0, null, false);
    }

    public RetrievalRequest(String tenant, String query, ChunkStore.SearchMode mode, int topK, double minScore,
                            int maxPerSource) {
        this(tenant, query, mode, topK, minScore, maxPerSource, null, false);
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

    /** The same request with the query's embedding already made. */
    public RetrievalRequest withQueryVector(float[] vector) {
        return new RetrievalRequest(tenant, query, mode, topK, minScore, maxPerSource, vector, corpusTerms, followUp);
    }
}
