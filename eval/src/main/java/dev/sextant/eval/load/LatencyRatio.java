package dev.sextant.eval.load;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Locale;

/**
 * Candidate over baseline, figure by figure ({@code p50 = candidate.p50 / baseline.p50}): 1.10 means the
 * candidate is 10% slower. NaN where either side has no values.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LatencyRatio(double p50, double p90, double p99, double p999, double max, double mean) {

    public static LatencyRatio of(LatencyStats candidate, LatencyStats baseline) {
        return new LatencyRatio(candidate.p50Ms() / baseline.p50Ms(), candidate.p90Ms() / baseline.p90Ms(),
                candidate.p99Ms() / baseline.p99Ms(), candidate.p999Ms() / baseline.p999Ms(),
                candidate.maxMs() / baseline.maxMs(), candidate.meanMs() / baseline.meanMs());
    }

    public String summary() {
        return String.format(Locale.ROOT, "p50 x%s p90 x%s p99 x%s p99.9 x%s max x%s mean x%s", format(p50),
                format(p90), format(p99), format(p999), format(max), format(mean));
    }

    static String format(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.3f", ratio);
    }
}
