package dev.sextant.inference.structured;

/**
 * One sequence's structured output: before each sampling step {@link #mask} leaves only the tokens that keep the
 * output a prefix of a document of the schema (and that leave room to finish it within the tokens left), and
 * end-of-sequence only where the document is whole; {@link #accept} moves on by the token sampled. Applied to each
 * row of a batch on its own.
 */
public final class JsonConstraint {

    private final TokenMasker masker;
    private final TokenVocabulary vocabulary;
    private final long[] endIds;
    private TokenMasker.Node node;
    private long maskNanos;
    private int masks;

    /**
     * @param endIds the model's end-of-sequence token ids, allowed once the document is complete
     */
    public JsonConstraint(TokenMasker masker, TokenVocabulary vocabulary, long[] endIds) {
        this.masker = masker;
        this.vocabulary = vocabulary;
        this.endIds = endIds.clone();
        this.node = masker.start();
    }

    /**
     * Sets the logits of disallowed tokens to negative infinity.
     *
     * @param tokensLeft tokens this sequence may still generate, this one included
     */
    public void mask(float[] logits, int tokensLeft) {
        long started = System.nanoTime();
        long[] allowed = masker.allowed(node, tokensLeft);
        boolean complete = node.complete();
        float[] ends = new float[endIds.length];
        for (int i = 0; i < endIds.length; i++) {
            ends[i] = endIds[i] < logits.length ? logits[(int) endIds[i]] : 0;
        }
        int words = allowed.length;
        for (int w = 0; w < words; w++) {
            long bits = allowed[w];
            if (bits == -1L) {
                continue;
            }
            int base = w << 6;
            int end = Math.min(logits.length, base + 64);
            for (int i = base; i < end; i++) {
                if ((bits & (1L << i)) == 0) {
                    logits[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        for (int i = words << 6; i < logits.length; i++) {
            logits[i] = Float.NEGATIVE_INFINITY;
        }
        if (complete) {
            for (int i = 0; i < endIds.length; i++) {
                if (endIds[i] < logits.length) {
                    logits[(int) endIds[i]] = ends[i];
                }
            }
        }
        maskNanos += System.nanoTime() - started;
        masks++;
    }

    /** Time {@link #mask} took so far, all calls together. */
    public long maskNanos() {
        return maskNanos;
    }

    /** How many times {@link #mask} ran (one per sampled token). */
    public int masks() {
        return masks;
    }

    /**
     * Moves on by the sampled token.
     *
     * @throws IllegalStateException when the token was not allowed (the mask was not applied)
     */
    public void accept(long token) {
        if (isEnd(token)) {
            if (!node.complete()) {
                throw new IllegalStateException("end of sequence before the document is complete");
            }
            return;
        }
        byte[] bytes = vocabulary.bytes((int) token);
        TokenMasker.Node next = bytes == null ? null : masker.advance(node, bytes);
        if (next == null) {
            throw new IllegalStateException("token " + token + " does not continue the document");
        }
        node = next;
    }

    /** Fewest bytes that still complete the document. */
    int minBytes() {
        return node.minBytes;
    }

    /** Whether the output so far is a whole document. */
    public boolean complete() {
        return node.complete();
    }

    /** Whether nothing but end-of-sequence may follow. */
    public boolean finished() {
        return node.state.finished();
    }

    /** Whether {@code token} is one of the model's end-of-sequence tokens. */
    public boolean isEnd(long token) {
        for (long e : endIds) {
            if (e == token) {
                return true;
            }
        }
        return false;
    }
}
