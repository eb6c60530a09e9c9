package dev.sextant.eval.answers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.eval.answers.Groundedness.SentenceSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroundednessTest {

    static final SentenceSupport YES = new SentenceSupport("Alpha beta gamma.", 1.0, Double.NaN, true);
    static final SentenceSupport NO = new SentenceSupport("Delta epsilon zeta.", 0.0, Double.NaN, false);

    @Test
    void supportedCountsTheSupportedSentences() {
        assertThat(new Groundedness(1.0 / 3, List.of(YES, NO, NO)).supported()).isEqualTo(1);
        assertThat(new Groundedness(0.0, List.of()).supported()).isZero();
    }

    @Test
    void sentencesAreACopyThatCannotChange() {
        List<SentenceSupport> given = new ArrayList<>(List.of(YES));
        Groundedness g = new Groundedness(1.0, given);
        given.add(NO);
        assertThat(g.sentences()).containsExactly(YES);
        assertThatThrownBy(() -> g.sentences().add(NO)).isInstanceOf(UnsupportedOperationException.class);
    }
}
