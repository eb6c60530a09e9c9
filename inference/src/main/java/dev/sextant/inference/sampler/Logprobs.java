package dev.sextant.inference.sampler;

/**
 * Log-probabilities at one sampling step, taken from the logits before the sampler changes them (temperature,
 * penalties): the log-sum-exp of the distribution, its {@code top} most likely token ids, and a copy of the logits so
 * that the sampled token's log-probability is known once it is picked.
 */
public final class Logprobs {

    private final float[] logits;
    private final double logSumExp;
    private final int[] topIds;

    private Logprobs(float[] logits, double logSumExp, int[] topIds) {
        this.logits = logits;
        this.logSumExp = logSumExp;
        this.topIds = topIds;
    }

    /** Reads {@code logits} (not kept: they are copied) and finds the {@code top} most likely tokens. */
    public static Logprobs before(float[] logits, int top) {
        float[] copy = logits.clone();
        float max = Float.NEGATIVE_INFINITY;
        for (float v : copy) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : copy) {
            if (v != Float.NEGATIVE_INFINITY) {
                sum += Math.exp(v - max);
            }
        }
        double lse = max + Math.log(sum);
        // The top ids by insertion into a small sorted array: top is at most 20.
        int[] ids = new int[top];
        int n = 0;
        for (int i = 0; i < copy.length && top > 0; i++) {
            float v = copy[i];
            if (v == Float.NEGATIVE_INFINITY || n == top && v <= copy[ids[n - 1]]) {
                continue;
            }
            int at = n < top ? n++ : n - 1;
            while (at > 0 && copy[ids[at - 1]] < v) {
                ids[at] = ids[at - 1];
                at--;
            }
            ids[at] = i;
        }
        return new Logprobs(copy, lse, n == top ? ids : java.util.Arrays.copyOf(ids, n));
    }

    /** What the step gives the request side once {@code token} was sampled. */
    public Sampled sampled(long token) {
        float[] top = new float[topIds.length];
        for (int i = 0; i < top.length; i++) {
            top[i] = (float) (logits[topIds[i]] - logSumExp);
        }
        return new Sampled((float) (logits[(int) token] - logSumExp), topIds, top);
    }

    /** The sampled token's log-probability and the most likely ids with theirs, most likely first. */
    public record Sampled(float logprob, int[] topIds, float[] topLogprobs) {
    }
}
