package dev.sextant.eval.load;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact percentiles of recorded values by the nearest-rank definition: the p-th percentile of n ascending values
 * is the value at 1-based rank {@code ceil(p / 100 * n)}, with rank at least 1. It is always one of the recorded
 * values (no interpolation): of 1..100, p50 = 50, p99 = 99, p99.9 = p100 = 100; p0 is the minimum.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * @param ascending  recorded values, sorted ascending
     * @param percentile in [0, 100]
     * @throws IllegalArgumentException for no values (a percentile of nothing is undefined), values out of
     *                                  order, or a percentile outside [0, 100]
     */
    public static long nearestRank(long[] ascending, double percentile) {
        if (ascending.length == 0) {
            throw new IllegalArgumentException("no values: the percentile of an empty sample is undefined");
        }
        for (int i = 1; i < ascending.length; i++) {
            if (ascending[i] < ascending[i - 1]) {
                throw new IllegalArgumentException("values must be sorted ascending (index " + i + ")");
            }
        }
        return ascending[rank(percentile, ascending.length) - 1];
    }

    /**
     * 1-based nearest rank. Computed in decimal so that percentiles written in decimal are exact: in binary
     * floating point 99.9 / 100 * 1000 is 999.0000000000001, whose ceiling would pick rank 1000 instead of 999.
     */
    static int rank(double percentile, int count) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        BigDecimal exact = BigDecimal.valueOf(percentile).multiply(BigDecimal.valueOf(count))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING);
        return Math.max(1, exact.intValueExact());
    }
}
