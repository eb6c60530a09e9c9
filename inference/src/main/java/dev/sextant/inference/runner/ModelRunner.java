package dev.sextant.inference.runner;

import dev.sextant.inference.model.DecoderConfig;

/**
 * The model and its KV cache as the engine sees them: sequences live in cache rows {@code 0..active()-1}; a prompt
 * is prefilled into a free row, and each decode step advances every row by one token in one model call.
 * Implementations differ in how the graph takes its cache (in place, or copied in and out each step).
 * Not thread-safe: owned by the engine thread.
 */
public interface ModelRunner extends AutoCloseable {

    DecoderConfig config();

    /** {@code cpu} or {@code cuda:N}. */
    String device();

    /** Rows the cache has, i.e. the largest decode batch. */
    int slots();

    /** Prompt plus generated tokens one row holds at most. */
    int maxSeqLen();

    int active();

    long cacheBytes();

    /** Takes the next free row. */
    int allocate();

    /**
     * Frees {@code row}; if it was not the last row in use, the last row (holding {@code lastRowLength} tokens)
     * moves into it. Returns the row that moved, or -1.
     */
    int free(int row, int lastRowLength);

    /** Runs a whole prompt into an empty row and returns the logits at its last position. */
    float[] prefill(int row, long[] tokens);

    /**
     * One decode step for rows {@code 0..tokens.length-1}: row {@code i} holds {@code pastLengths[i]} tokens and
     * gets {@code tokens[i]} appended. Returns each row's next-token logits.
     */
    float[][] decode(long[] tokens, int[] pastLengths);

    @Override
    void close();
}
