package dev.sextant.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-computed cases. */
class RetrievalMetricsTest {

    static final List<String> RANKED = List.of("a", "a", "b", "gold1", "c", "gold2");

    @Test
    void recallCountsDistinctSourcesUpToK() {
        Set<String> gold = Set.of("gold1", "gold2");
        assertThat(RetrievalMetrics.recallAtK(RANKED, gold, 2)).isEqualTo(0.0);
        assertThat(RetrievalMetrics.recallAtK(RANKED, gold, 3)).isEqualTo(0.5); // a, b, gold1
        assertThat(RetrievalMetrics.recallAtK(RANKED, gold, 5)).isEqualTo(1.0);
    }

    @Test
    void reciprocalRankUsesTheFirstGoldHit() {
        assertThat(RetrievalMetrics.reciprocalRankAtK(RANKED, Set.of("gold1"), 10)).isEqualTo(1.0 / 3);
        assertThat(RetrievalMetrics.reciprocalRankAtK(RANKED, Set.of("a"), 10)).isEqualTo(1.0);
        assertThat(RetrievalMetrics.reciprocalRankAtK(RANKED, Set.of("gold2"), 4)).isEqualTo(0.0);
    }

    @Test
    void ndcgMatchesTheHandComputedValue() {
        // distinct ranking: a, b, gold1, c, gold2 -> DCG = 1/log2(4) + 1/log2(6); IDCG = 1 + 1/log2(3)
        double expected = (0.5 + 1 / (Math.log(6) / Math.log(2))) / (1 + 1 / (Math.log(3) / Math.log(2)));
        assertThat(RetrievalMetrics.ndcgAtK(RANKED, Set.of("gold1", "gold2"), 10)).isCloseTo(expected, offset(1e-12));
        assertThat(RetrievalMetrics.ndcgAtK(List.of("g"), Set.of("g"), 10)).isEqualTo(1.0);
    }

    @Test
    void aQueryWithoutGoldCannotBeScored() {
        assertThatThrownBy(() -> RetrievalMetrics.recallAtK(RANKED, Set.of(), 5))
                .hasMessageContaining("gold source");
    }
}
