package dev.sextant.embeddings.onnx;

/**
 * Counters of an {@link OnnxEmbeddingModel} since it started: ONNX calls, texts and tokens embedded, and the
 * tokens computed including padding ({@code paddedTokens / tokens} is the padding overhead).
 */
public record EmbedderStats(long batches, long texts, long tokens, long paddedTokens) {

    public double meanBatchSize() {
        return batches == 0 ? 0 : (double) texts / batches;
    }
}
