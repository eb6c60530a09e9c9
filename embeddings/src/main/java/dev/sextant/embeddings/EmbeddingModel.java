package dev.sextant.embeddings;

/**
 * Turns texts into dense vectors. Implementations must be thread-safe: the router, ingestion and retrieval call
 * one shared instance concurrently.
 */
public interface EmbeddingModel {

    EmbeddingResult embed(EmbeddingRequest request);

    /** Length of every vector this model returns. */
    int dimension();

    /** Stable model identifier, e.g. {@code all-minilm-l6-v2-q}; part of the index identity. */
    String name();
}
