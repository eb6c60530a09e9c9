package dev.sextant.eval.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Hand-computed nearest-rank cases. */
class PercentilesTest {

    static final long[] ONE_TO_100 = LongStream.rangeClosed(1, 100).toArray();

    @Test
    void oneToHundred() {
        assertThat(Percentiles.nearestRank(ONE_TO_100, 50)).isEqualTo(50);
        assertThat(Percentiles.nearestRank(ONE_TO_100, 90)).isEqualTo(90);
        assertThat(Percentiles.nearestRank(ONE_TO_100, 99)).isEqualTo(99);
        assertThat(Percentiles.nearestRank(ONE_TO_100, 99.9)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(ONE_TO_100, 100)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(ONE_TO_100, 0)).isEqualTo(1);
        assertThat(Percentiles.nearestRank(ONE_TO_100, 50.5)).isEqualTo(51);
    }

    @Test
    void decimalPercentilesAreExact() {
        // binary floating point would give ranks 8 (0.07 * 100 = 7.000000000000001) and 1000
        assertThat(Percentiles.nearestRank(ONE_TO_100, 7)).isEqualTo(7);
        assertThat(Percentiles.nearestRank(LongStream.rangeClosed(1, 1000).toArray(), 99.9)).isEqualTo(999);
    }

    @Test
    void smallSamples() {
        long[] four = {10, 20, 30, 40};
        assertThat(Percentiles.nearestRank(four, 25)).isEqualTo(10); // rank ceil(1.0) = 1
        assertThat(Percentiles.nearestRank(four, 26)).isEqualTo(20); // rank ceil(1.04) = 2
        assertThat(Percentiles.nearestRank(four, 50)).isEqualTo(20);
        assertThat(Percentiles.nearestRank(four, 90)).isEqualTo(40); // rank ceil(3.6) = 4
        long[] single = {7};
        for (double p : new double[] {0, 50, 99.9, 100}) {
            assertThat(Percentiles.nearestRank(single, p)).isEqualTo(7);
        }
    }

    @Test
    void undefinedCasesAreRefused() {
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[0], 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty sample is undefined");
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {2, 1}, 50))
                .hasMessageContaining("sorted ascending");
        assertThatThrownBy(() -> Percentiles.nearestRank(ONE_TO_100, 100.1)).hasMessageContaining("[0, 100]");
        assertThatThrownBy(() -> Percentiles.nearestRank(ONE_TO_100, Double.NaN)).hasMessageContaining("[0, 100]");
    }

    @Test
    void latencyStatsInMilliseconds() {
        long ms = 1_000_000;
        LatencyStats stats = LatencyStats.ofNanos(LongStream.rangeClosed(1, 100).map(v -> v * ms).toArray());
        assertThat(stats).isEqualTo(new LatencyStats(100, 50.5, 50, 90, 99, 100, 100));

        // any order in; exact figures out
        LatencyStats four = LatencyStats.ofNanos(4 * ms, 1 * ms, 3 * ms, 2 * ms);
        assertThat(four).isEqualTo(new LatencyStats(4, 2.5, 2, 4, 4, 4, 4));
        assertThat(LatencyStats.ofNanos(1_500_000).p50Ms()).isEqualTo(1.5);
        assertThat(four.summary()).isEqualTo("p50 2.00 p90 4.00 p99 4.00 p99.9 4.00 max 4.00 mean 2.50 ms (n=4)");
    }

    @Test
    void noValuesGiveNaNFigures() {
        LatencyStats none = LatencyStats.ofNanos();
        assertThat(none).isSameAs(LatencyStats.NONE);
        assertThat(none.count()).isZero();
        assertThat(none.p50Ms()).isNaN();
        assertThat(none.maxMs()).isNaN();
        assertThat(none.summary()).isEqualTo("none");
    }

    @Test
    void ratiosDivideFigureByFigure() {
        long ms = 1_000_000;
        LatencyStats baseline = LatencyStats.ofNanos(1 * ms, 2 * ms, 3 * ms);
        LatencyStats candidate = LatencyStats.ofNanos(2 * ms, 4 * ms, 6 * ms);
        assertThat(LatencyRatio.of(candidate, baseline)).isEqualTo(new LatencyRatio(2, 2, 2, 2, 2, 2));
        assertThat(LatencyRatio.of(baseline, candidate).p99()).isEqualTo(0.5);
        assertThat(LatencyRatio.of(candidate, LatencyStats.NONE).p50()).isNaN();
    }
}
