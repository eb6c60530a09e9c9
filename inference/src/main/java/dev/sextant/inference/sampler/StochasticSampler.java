package dev.sextant.inference.sampler;

import dev.sextant.inference.api.SamplingParams;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Repetition penalty, then temperature, top-k and top-p (nucleus) filtering, then a draw from the remaining
 * distribution. One instance per sequence: it owns the sequence's random stream, so a seeded request gives the same
 * tokens whatever else runs in the batch.
 */
public final class StochasticSampler implements Sampler {

    private final SamplingParams params;
    private final SplittableRandom random;
    private int[] order = new int[0];

    public StochasticSampler(SamplingParams params) {
        this.params = params;
        this.random = new SplittableRandom(params.seed() != null ? params.seed() : System.nanoTime());
    }

    @Override
    public long sample(float[] logits, TokenHistory history) {
        applyRepetitionPenalty(logits, history, params.repetitionPenalty());
        applyPresenceAndFrequency(logits, history, params.presencePenalty(), params.frequencyPenalty());
        if (params.greedy()) {
            return GreedySampler.argmax(logits);
        }
        int n = logits.length;
        if (order.length != n) {
            order = new int[n];
        }
        int kept = candidates(logits, n);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < kept; i++) {
            max = Math.max(max, logits[order[i]]);
        }
        double[] probs = new double[kept];
        double sum = 0;
        for (int i = 0; i < kept; i++) {
            probs[i] = Math.exp((logits[order[i]] - max) / params.temperature());
            sum += probs[i];
        }
        if (params.topP() < 1) {
            // order[0..kept) is sorted by logit, descending: keep the shortest prefix reaching top_p.
            double cumulative = 0;
            int cut = kept;
            for (int i = 0; i < kept; i++) {
                cumulative += probs[i] / sum;
                if (cumulative >= params.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            sum = 0;
            for (int i = 0; i < cut; i++) {
                sum += probs[i];
            }
            kept = cut;
        }
        double draw = random.nextDouble() * sum;
        for (int i = 0; i < kept; i++) {
            draw -= probs[i];
            if (draw <= 0) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    /** Fills {@code order} with the candidate token ids, most likely first when filtering needs an order. */
    private int candidates(float[] logits, int n) {
        boolean needsOrder = params.topK() > 0 || params.topP() < 1;
        if (!needsOrder) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return n;
        }
        int k = params.topK() > 0 ? Math.min(params.topK(), n) : n;
        if (k < n / 4) {
            return topK(logits, k);
        }
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Float.compare(logits[b], logits[a]));
        for (int i = 0; i < k; i++) {
            order[i] = boxed[i];
        }
        return k;
    }

    /** Partial selection of the k best ids, sorted descending: O(n log k) instead of sorting the vocabulary. */
    private int topK(float[] logits, int k) {
        java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(k + 1,
                (a, b) -> Float.compare(logits[a], logits[b]));
        for (int i = 0; i < logits.length; i++) {
            if (heap.size() < k) {
                heap.add(i);
            } else if (logits[i] > logits[heap.peek()]) {
                heap.poll();
                heap.add(i);
            }
        }
        for (int i = k - 1; i >= 0; i--) {
            order[i] = heap.poll();
        }
        return k;
    }

    static void applyPresenceAndFrequency(float[] logits, TokenHistory history, double presence,
                                          double frequency) {
        if (presence == 0 && frequency == 0) {
            return;
        }
        history.generatedCounts().forEach((token, count) -> {
            if (token < logits.length) {
                logits[token] -= (float) (presence + frequency * count);
            }
        });
    }

    static void applyRepetitionPenalty(float[] logits, TokenHistory history, double penalty) {
        if (penalty == 1.0) {
            return;
        }
        for (int t = 0; t < logits.length; t++) {
            if (history.contains(t)) {
                logits[t] = (float) (logits[t] > 0 ? logits[t] / penalty : logits[t] * penalty);
            }
        }
    }
}
