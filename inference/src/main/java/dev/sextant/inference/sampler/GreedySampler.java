package dev.sextant.inference.sampler;

/** The most likely token; ties go to the lowest id, so results are reproducible. */
public final class GreedySampler implements Sampler {

    @Override
    public long sample(float[] logits, TokenHistory history) {
        return argmax(logits);
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
