package dev.sextant.rag.chunk;

/**
 * Chunk size limits, in the units of a {@link TokenCounter}.
 *
 * @param maxTokens     upper bound for a chunk's text; only a single character that alone counts more than this
 *                      (possible with byte-level tokenizers and a tiny limit) makes a longer chunk
 * @param overlapTokens upper bound for the whole words a chunk repeats from the end of the previous chunk of the same
 *                      section; 0 for none
 */
public record ChunkLimits(int maxTokens, int overlapTokens) {

    public ChunkLimits {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= maxTokens) {
            throw new IllegalArgumentException("overlapTokens must be in [0, maxTokens = " + maxTokens + "), got "
                    + overlapTokens);
        }
    }
}
