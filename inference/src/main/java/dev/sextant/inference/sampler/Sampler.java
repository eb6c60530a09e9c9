package dev.sextant.inference.sampler;

/** Picks the next token of one sequence from the logits of its last position. */
public interface Sampler {

    /**
     * @param logits  scores over the vocabulary; implementations may modify the array
     * @param history tokens of the sequence so far (prompt and generated), for repetition penalties
     */
    long sample(float[] logits, TokenHistory history);
}
