package dev.sextant.inference.sampler;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The distinct tokens a sequence contains (a bitmap, for the repetition penalty) and how often each was generated
 * (for OpenAI's presence and frequency penalties, which count only the completion).
 */
public final class TokenHistory {

    private final long[] bits;
    private final Map<Integer, Integer> generated = new HashMap<>();

    public TokenHistory(int vocabSize) {
        this.bits = new long[(vocabSize + 63) >>> 6];
    }

    public void add(long token) {
        if (token >= 0 && token < (long) bits.length << 6) {
            bits[(int) (token >>> 6)] |= 1L << token;
        }
    }

    /** A token the model produced: part of the sequence and of the completion's counts. */
    public void addGenerated(long token) {
        add(token);
        generated.merge((int) token, 1, Integer::sum);
    }

    /** Generated tokens with their counts. */
    public Map<Integer, Integer> generatedCounts() {
        return generated;
    }

    public void addAll(long[] tokens) {
        for (long t : tokens) {
            add(t);
        }
    }

    public boolean contains(int token) {
        return (bits[token >>> 6] & (1L << token)) != 0;
    }

    public boolean isEmpty() {
        return Arrays.stream(bits).allMatch(b -> b == 0);
    }
}
