package dev.sextant.inference.sampler;

import java.util.Arrays;

/** The distinct tokens a sequence contains, kept as a bitmap for cheap repetition penalties. */
public final class TokenHistory {

    private final long[] bits;

    public TokenHistory(int vocabSize) {
        this.bits = new long[(vocabSize + 63) >>> 6];
    }

    public void add(long token) {
        if (token >= 0 && token < (long) bits.length << 6) {
            bits[(int) (token >>> 6)] |= 1L << token;
        }
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
