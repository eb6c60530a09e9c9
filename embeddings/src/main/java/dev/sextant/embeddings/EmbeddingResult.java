package dev.sextant.embeddings;

import java.util.List;

/**
 * One vector per input text, in input order, and the number of tokens the model read (for metering).
 */
public record EmbeddingResult(List<float[]> vectors, long tokenCount) {

    public float[] first() {
        return vectors.get(0);
    }
}
