package dev.sextant.eval.retrieval;

import dev.sextant.rag.rerank.RankingFeatures;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Fits {@link dev.sextant.rag.rerank.LearnedReranker}'s weights: a conditional logit, i.e. a softmax over each
 * question's candidates of {@code w . features}, maximizing the probability of its gold candidates (any chunk of a
 * gold page), with an L2 penalty, by full-batch gradient descent. Questions without a gold candidate teach nothing
 * and are left out.
 */
public final class RankerTraining {

    /** One question's candidates: features per candidate and whether it is of a gold page. */
    public record Question(double[][] features, boolean[] gold) {
        public boolean teaches() {
            for (boolean g : gold) {
                if (g) {
                    return true;
                }
            }
            return false;
        }
    }

    /** @param loss mean negative log-likelihood per question at the end */
    public record Fit(double[] weights, int questions, double loss) {
    }

    private RankerTraining() {
    }

    /**
     * @param useMaxSim whether the MaxSim feature may get a weight (its column is 0 when it was not computed)
     */
    public static Fit fit(List<Question> questions, boolean useMaxSim, double l2, int iterations, double rate) {
        List<Question> teaching = questions.stream().filter(Question::teaches).toList();
        if (teaching.isEmpty()) {
            throw new IllegalArgumentException("no question has a gold page among its candidates");
        }
        int n = RankingFeatures.NAMES.size();
        double[] w = new double[n];
        double loss = 0;
        for (int it = 0; it < iterations; it++) {
            double[] grad = new double[n];
            loss = 0;
            for (Question q : teaching) {
                loss += step(q, w, grad);
            }
            loss /= teaching.size();
            for (int i = 0; i < n; i++) {
                grad[i] = grad[i] / teaching.size() + l2 * w[i];
                w[i] -= rate * grad[i];
            }
            if (!useMaxSim) {
                w[RankingFeatures.MAXSIM] = 0;
            }
        }
        return new Fit(w, teaching.size(), loss);
    }

    /** Adds the gradient of one question's loss, -log(sum of gold softmax), to {@code grad}; returns the loss. */
    static double step(Question q, double[] w, double[] grad) {
        int m = q.features().length;
        double[] s = new double[m];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < w.length; i++) {
                s[j] += w[i] * q.features()[j][i];
            }
            max = Math.max(max, s[j]);
        }
        double all = 0;
        double gold = 0;
        double[] p = new double[m];
        for (int j = 0; j < m; j++) {
            p[j] = Math.exp(s[j] - max);
            all += p[j];
            if (q.gold()[j]) {
                gold += p[j];
            }
        }
        for (int j = 0; j < m; j++) {
            // d(-log G/Z)/ds_j = p_j/Z - [gold] p_j/G
            double g = p[j] / all - (q.gold()[j] ? p[j] / gold : 0);
            for (int i = 0; i < w.length; i++) {
                grad[i] += g * q.features()[j][i];
            }
        }
        return -Math.log(gold / all);
    }

    /** Writes the weights as {@link dev.sextant.rag.rerank.LearnedReranker} reads them. */
    public static void write(Path file, Fit fit, String trainedOn) throws IOException {
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("# LearnedReranker weights, written by sextant train-ranker\n");
            out.write(String.format(Locale.ROOT, "# %d questions with a gold candidate, final loss %.4f%n",
                    fit.questions(), fit.loss()));
            out.write("trained.on=" + trainedOn.replace("\n", " ") + "\n");
            for (int i = 0; i < fit.weights().length; i++) {
                out.write(String.format(Locale.ROOT, "weight.%s=%.6f%n", RankingFeatures.NAMES.get(i),
                        fit.weights()[i]));
            }
        }
    }
}
