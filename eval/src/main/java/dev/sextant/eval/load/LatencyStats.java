package dev.sextant.eval.load;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;
import java.util.Locale;

/**
 * Exact statistics of recorded latencies, in milliseconds; percentiles by {@link Percentiles nearest rank}.
 * With no values, {@code count} is 0 and every figure is NaN (written as {@code null} in JSON by
 * {@link LoadJson}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LatencyStats(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
                           double maxMs) {

    public static final LatencyStats NONE = new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    private static final double NANOS_PER_MS = 1_000_000.0;

    /** Statistics of latencies in nanoseconds, in any order. */
    public static LatencyStats ofNanos(long... nanos) {
        if (nanos.length == 0) {
            return NONE;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new LatencyStats(sorted.length, sum / sorted.length / NANOS_PER_MS, ms(sorted, 50), ms(sorted, 90),
                ms(sorted, 99), ms(sorted, 99.9), sorted[sorted.length - 1] / NANOS_PER_MS);
    }

    private static double ms(long[] sorted, double percentile) {
        return Percentiles.nearestRank(sorted, percentile) / NANOS_PER_MS;
    }

    /** {@code p50 1.23 p90 ... max ... mean ... ms (n=100)}, or {@code none} without values. */
    public String summary() {
        if (count == 0) {
            return "none";
        }
        return String.format(Locale.ROOT, "p50 %s p90 %s p99 %s p99.9 %s max %s mean %s ms (n=%d)",
                format(p50Ms), format(p90Ms), format(p99Ms), format(p999Ms), format(maxMs), format(meanMs), count);
    }

    /** Milliseconds with two decimals, or {@code -} for NaN (tables). */
    static String format(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.2f", ms);
    }
}
