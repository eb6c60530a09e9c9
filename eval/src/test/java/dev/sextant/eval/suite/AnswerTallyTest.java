package dev.sextant.eval.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.eval.retrieval.LabelledQuestion;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Citation figures count what an answer cites; context precision and recall count every passage it was given. */
class AnswerTallyTest {

    private static final TargetClient.Answer ANSWER = new TargetClient.Answer("text", List.of(), false, "ok", 10, 2,
            0.0, 1, 2, true);

    @Test
    void citationFiguresCountTheCitedSourcesAndContextPrecisionEveryPassage() {
        AnswerTally tally = new AnswerTally();
        LabelledQuestion first = new LabelledQuestion("q1", "one?", Set.of("a.html"), "fact");
        LabelledQuestion second = new LabelledQuestion("q2", "two?", Set.of("c.html", "d.html"), "fact");
        // Cites the gold page only, though it was given a second one.
        tally.add(first, List.of("a.html"), List.of("a.html", "b.html"), false, 1.0, null, ANSWER);
        // Cites nothing: no precision of its own, recall 0; its context holds one of two gold pages.
        tally.add(second, List.of(), List.of("c.html", "x.html", "y.html", "z.html"), false, 0.0, null, ANSWER);

        SuiteResult.AnswerSummary s = tally.summary();
        assertThat(s.citationPrecision()).isEqualTo(1.0);
        assertThat(s.citationRecall()).isEqualTo(0.5);
        assertThat(s.contextPrecision()).isCloseTo((0.5 + 0.25) / 2, within(1e-9));
        assertThat(s.contextRecall()).isCloseTo((1.0 + 0.5) / 2, within(1e-9));
        assertThat(SuiteMetrics.flatten(new SuiteResult("t", "d", "x", null, s, null, null, null, List.of(),
                List.of(), null))).containsEntry("answers.context_precision", s.contextPrecision())
                .containsEntry("answers.context_recall", s.contextRecall());
    }

    @Test
    void withoutContextAnywhereContextPrecisionIsUnmeasured() {
        AnswerTally tally = new AnswerTally();
        LabelledQuestion unanswerable = new LabelledQuestion("q3", "three?", Set.of(), "unanswerable");
        tally.add(unanswerable, List.of(), List.of(), true, 1.0, null, ANSWER);
        SuiteResult.AnswerSummary s = tally.summary();
        assertThat(s.contextPrecision()).isNull();
        assertThat(s.contextRecall()).isNull();
        assertThat(s.refusalRate()).isEqualTo(1.0);
        assertThat(SuiteMetrics.flatten(new SuiteResult("t", "d", "x", null, s, null, null, null, List.of(),
                List.of(), null))).doesNotContainKey("answers.context_precision")
                .doesNotContainKey("answers.context_recall");
    }
}
