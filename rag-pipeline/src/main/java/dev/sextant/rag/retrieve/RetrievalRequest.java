package dev.sextant.rag.retrieve;

import java.util.Objects;

/**
 * @param minScore drop matches with a cosine similarity below this
 */
public record RetrievalRequest(String tenant, String query, int topK, double minScore) {
    public RetrievalRequest {
        Objects.requireNonNull(tenant, "tenant");
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query must not be empty");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be positive, got " + topK);
        }
    }
}
