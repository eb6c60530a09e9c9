package dev.sextant.embeddings;

/**
 * The encoder's output per token, before pooling: what late-interaction scoring (MaxSim) compares. A separate seam
 * from {@link EmbeddingModel} because only an in-process encoder has it (a remote embeddings API returns pooled
 * vectors alone), and because it costs a vector per token instead of one per text.
 */
public interface TokenEmbeddings {

    TokenEmbeddingResult embedTokens(EmbeddingRequest request);
}
