package dev.sextant.eval.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a run passes: every absolute threshold holds, and no metric got worse than the baseline by more
 * than its allowed regression. Compared with the baseline: the metrics named in {@code max_regression}, and with a
 * {@code default} there, every rate metric (retrieval, answers, cache: values in [0, 1]) too; latency and cost
 * (milliseconds, dollars, machine-dependent) only when named.
 */
public final class SuiteGate {

    private SuiteGate() {
    }

    public static List<SuiteResult.Regression> check(SuiteDefinition suite, SuiteResult result,
                                                     SuiteResult baseline) {
        Map<String, Double> now = SuiteMetrics.flatten(result);
        List<SuiteResult.Regression> out = new ArrayList<>();
        if (suite.thresholds() != null) {
            suite.thresholds().forEach((metric, t) -> {
                Double value = now.get(metric);
                if (value == null) {
                    out.add(new SuiteResult.Regression(metric, "missing", Double.NaN, Double.NaN, metric
                            + " has a threshold but this run did not measure it"));
                } else if (t.min() != null && value < t.min()) {
                    out.add(new SuiteResult.Regression(metric, "min", value, t.min(), String.format(Locale.ROOT,
                            "%s = %.4f is below its minimum %.4f", metric, value, t.min())));
                } else if (t.max() != null && value > t.max()) {
                    out.add(new SuiteResult.Regression(metric, "max", value, t.max(), String.format(Locale.ROOT,
                            "%s = %.4f is above its maximum %.4f", metric, value, t.max())));
                }
            });
        }
        if (baseline != null) {
            Map<String, Double> before = SuiteMetrics.flatten(baseline);
            Map<String, Double> allowed = suite.maxRegression() == null ? Map.of() : suite.maxRegression();
            double fallback = allowed.getOrDefault("default", 0.0);
            before.forEach((metric, old) -> {
                Double value = now.get(metric);
                if (value == null) {
                    return;
                }
                boolean rate = !metric.startsWith("latency.") && !metric.startsWith("cost.");
                if (!allowed.containsKey(metric) && !(rate && allowed.containsKey("default"))) {
                    return;
                }
                double slack = allowed.getOrDefault(metric, fallback);
                boolean higher = SuiteMetrics.higherIsBetter(metric);
                double worse = higher ? old - value : value - old;
                if (worse > slack + 1e-12) {
                    out.add(new SuiteResult.Regression(metric, "baseline", value, higher ? old - slack
                            : old + slack, String.format(Locale.ROOT, "%s = %.4f, baseline %.4f: worse by %.4f "
                            + "(allowed %.4f)", metric, value, old, worse, slack)));
                }
            });
        }
        return out;
    }

    /** The result with its regressions filled in. */
    public static SuiteResult withRegressions(SuiteResult r, List<SuiteResult.Regression> regressions) {
        return new SuiteResult(r.suite(), r.date(), r.target(), r.retrieval(), r.answers(), r.cache(), r.latency(),
                r.cost(), r.questions(), List.copyOf(regressions), r.conversations());
    }
}
