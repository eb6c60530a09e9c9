package dev.sextant.eval.suite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheTallyTest {

    static CachePair pair(boolean paraphrase) {
        return new CachePair("p", "How does WAL mode work?", "What does WAL mode do?", paraphrase);
    }

    @Test
    void ratesCountOnlyPairsWhoseFirstAnswerWasCacheable() {
        CacheTally tally = new CacheTally();
        tally.add(pair(true), false, true);
        tally.add(pair(true), false, false);
        tally.add(pair(true), true, false);    // refused: nothing was cached, not a lost hit
        tally.add(pair(true), true, false);
        tally.add(pair(false), false, true);
        tally.add(pair(false), false, false);
        tally.add(pair(false), false, false);
        tally.add(pair(false), false, false);
        tally.add(pair(false), true, false);
        SuiteResult.CacheSummary summary = tally.summary();
        assertThat(summary.paraphrases()).isEqualTo(2);
        assertThat(summary.nonParaphrases()).isEqualTo(4);
        assertThat(summary.refused()).isEqualTo(3);
        assertThat(summary.hitRate()).isEqualTo(0.5);
        assertThat(summary.falseHitRate()).isEqualTo(0.25);
        assertThat(summary.pairs()).hasSize(9);
        assertThat(summary.pairs().get(2).refused()).isTrue();
    }

    @Test
    void noCountedPairGivesNoRateRatherThanZero() {
        CacheTally tally = new CacheTally();
        tally.add(pair(true), true, false);
        tally.add(pair(false), true, false);
        assertThat(tally.summary().hitRate()).isNaN();
        assertThat(tally.summary().falseHitRate()).isNaN();
    }
}
