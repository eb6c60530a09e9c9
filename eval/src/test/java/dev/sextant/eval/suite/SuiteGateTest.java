package dev.sextant.eval.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuiteGateTest {

    private static SuiteResult result(double recall5, double falseHits, double p99) {
        return new SuiteResult("s", "d", "t", Map.of("hybrid", Map.of("recall@5", recall5)), null,
                new SuiteResult.CacheSummary(10, 10, 0.5, falseHits, 0, List.of()),
                new SuiteResult.LatencySummary(null, new SuiteResult.Latency(10, 100, 150, p99, 110, p99), null),
                null, List.of(), List.of(), null);
    }

    private static SuiteDefinition suite(Map<String, SuiteDefinition.Threshold> thresholds,
                                         Map<String, Double> maxRegression) {
        return new SuiteDefinition("s", null, null, "q.json", null, null, null, null, thresholds, null,
                maxRegression, null);
    }

    @Test
    void thresholdsFailOnTheWrongSideOnly() {
        var s = suite(Map.of("retrieval.hybrid.recall@5", new SuiteDefinition.Threshold(0.8, null),
                "cache.false_hit_rate", new SuiteDefinition.Threshold(null, 0.1)), null);
        assertThat(SuiteGate.check(s, result(0.8, 0.1, 200), null)).isEmpty();
        var failed = SuiteGate.check(s, result(0.79, 0.2, 200), null);
        assertThat(failed).extracting(SuiteResult.Regression::metric)
                .containsExactlyInAnyOrder("retrieval.hybrid.recall@5", "cache.false_hit_rate");
        assertThat(failed).extracting(SuiteResult.Regression::message)
                .anySatisfy(m -> assertThat(m).contains("below its minimum 0.8000"));
    }

    @Test
    void aThresholdOnAMetricTheRunDidNotMeasureFails() {
        var s = suite(Map.of("answers.groundedness", new SuiteDefinition.Threshold(0.5, null)), null);
        assertThat(SuiteGate.check(s, result(0.9, 0, 200), null)).extracting(SuiteResult.Regression::rule)
                .containsExactly("missing");
    }

    @Test
    void theBaselineComparisonRespectsDirectionAndAllowance() {
        SuiteResult baseline = result(0.90, 0.05, 200);
        var s = suite(null, Map.of("default", 0.02, "latency.total.p99_ms", 50.0));
        assertThat(SuiteGate.check(s, result(0.89, 0.06, 240), baseline)).isEmpty();
        var worse = SuiteGate.check(s, result(0.87, 0.08, 260), baseline);
        assertThat(worse).extracting(SuiteResult.Regression::metric).containsExactlyInAnyOrder(
                "retrieval.hybrid.recall@5", "cache.false_hit_rate", "latency.total.p99_ms");
        assertThat(SuiteGate.check(s, result(0.99, 0.0, 100), baseline)).as("better is never a regression")
                .isEmpty();
        // Latency is machine-dependent: compared only when named.
        var rates = suite(null, Map.of("default", 0.02));
        assertThat(SuiteGate.check(rates, result(0.90, 0.05, 900), baseline)).isEmpty();
    }
}
