package dev.sextant.inference.sampler;

/** Picks the next token from the logits of the last position. */
public interface Sampler {

    long sample(float[] logits);
}
