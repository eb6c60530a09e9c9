package dev.sextant.eval.answers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Hand-computed cases. */
class CitationMetricsTest {

    @Test
    void citationPrecisionAndRecallCountDistinctSources() {
        List<String> cited = List.of("a", "b", "a"); // distinct {a, b}
        List<String> gold = List.of("a", "c");
        assertThat(CitationMetrics.citationPrecision(cited, gold)).hasValue(0.5); // 1 of {a, b}
        assertThat(CitationMetrics.citationRecall(cited, gold)).isEqualTo(0.5);   // 1 of {a, c}
        assertThat(CitationMetrics.citationPrecision(List.of("a", "c", "d"), gold).getAsDouble())
                .isEqualTo(2.0 / 3);
        assertThat(CitationMetrics.citationRecall(List.of("c", "a", "d"), gold)).isEqualTo(1.0);
    }

    @Test
    void noCitationLeavesPrecisionUndefinedAndRecallZero() {
        assertThat(CitationMetrics.citationPrecision(List.of(), List.of("a"))).isEqualTo(OptionalDouble.empty());
        assertThat(CitationMetrics.citationRecall(List.of(), List.of("a"))).isEqualTo(0.0);
    }

    @Test
    void withoutGoldEveryCitationIsWrongAndRecallIsUndefined() {
        assertThat(CitationMetrics.citationPrecision(List.of("x"), List.of())).hasValue(0.0);
        assertThatThrownBy(() -> CitationMetrics.citationRecall(List.of("x"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gold source");
    }
}
