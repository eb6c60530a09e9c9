package dev.sextant.embeddings.onnx;

/** How token vectors become one sentence vector. */
public enum Pooling {
    /** Average of the non-padding token vectors (sentence-transformers MiniLM). */
    MEAN,
    /** The first ([CLS]) token's vector (BGE). */
    CLS
}
