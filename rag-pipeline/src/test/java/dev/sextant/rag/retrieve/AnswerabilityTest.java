package dev.sextant.rag.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerabilityTest {

    static ScoredChunk chunk(String id, String text, double score) {
        return new ScoredChunk(new Chunk(id, "t", id + ".html", id, List.of(), text, 0, "h"), score);
    }

    @Test
    void termsNoCandidateContainsAreUnmatchedAfterStemmingAndStopWords() {
        var dense = List.of(chunk("a", "VACUUM reclaims storage occupied by dead tuples.", 0.62));
        var keyword = List.of(chunk("b", "Autovacuum settings control how often tables are vacuumed.", 9.0));
        Evidence e = Evidence.of("How do I configure Patroni to reclaim storage of the tables?", dense, keyword);
        assertThat(e.unmatchedTerms()).containsExactly("do", "i", "configur", "patroni"); // "how" is in b
        assertThat(e.bestDense()).isEqualTo(0.62);
        assertThat(e.dense("a")).isEqualTo(0.62);
        assertThat(e.dense("b")).isNaN();
    }

    @Test
    void termsTheCorpusLacksAreUnknownOnlyWhenNoCandidateHasThemEither() {
        var dense = List.of(chunk("a", "VACUUM reclaims storage occupied by dead tuples.", 0.62));
        java.util.Set<String> asked = new java.util.HashSet<>();
        Evidence e = Evidence.of("Can Patroni reclaim storage quickly?", dense, List.of(), word -> {
            asked.add(word);
            return !word.equals("Patroni");
        });
        assertThat(e.unmatchedTerms()).containsExactly("can", "patroni", "quickli");
        assertThat(asked).as("the store is asked for the words, not their stems")
                .containsExactlyInAnyOrder("Can", "Patroni", "quickly");
        assertThat(e.unknownTerms()).containsExactly("patroni");
    }

    @Test
    void decidesFromTheBestPassageAndTheTermsTheCorpusLacks() {
        var policy = new Answerability(0.40, 0.66);
        var passage = List.of(chunk("a", "VACUUM reclaims storage occupied by dead tuples", 0.55));
        java.util.function.Predicate<String> corpus = w -> !w.equalsIgnoreCase("patroni");
        assertThat(policy.answerable(Evidence.of("vacuum reclaims storage", passage, List.of(), corpus))).isTrue();
        assertThat(policy.answerable(Evidence.of("patroni reclaims storage", passage, List.of(), corpus))).isFalse();
        // A word missing from the candidates but known to the corpus is a paraphrase, not a sign of a gap.
        assertThat(policy.answerable(Evidence.of("quickly reclaims storage", passage, List.of(), corpus))).isTrue();
        var close = List.of(chunk("a", "VACUUM reclaims storage occupied by dead tuples", 0.70));
        assertThat(policy.answerable(Evidence.of("patroni reclaims storage", close, List.of(), corpus))).isTrue();
        var far = List.of(chunk("a", "VACUUM reclaims storage occupied by dead tuples", 0.20));
        assertThat(policy.answerable(Evidence.of("vacuum reclaims storage", far, List.of(), corpus))).isFalse();
        assertThat(policy.answerable(Evidence.NONE)).isFalse();
        // Keyword only: no cosine, so every term must occur in a candidate.
        assertThat(policy.answerable(Evidence.of("vacuum storage", List.of(), passage))).isTrue();
        assertThat(policy.answerable(Evidence.of("vacuum patroni", List.of(), passage))).isFalse();
    }

    @Test
    void aRewrittenFollowUpThatItselfNamesATermTheCorpusLacksIsNotAnswered() {
        var policy = new Answerability(0.40, 0.66);
        // The rewrite borrows "VACUUM FULL" from the first turn, so the passage is close; "AWS" is the follow-up's own.
        var close = List.of(chunk("a", "VACUUM FULL rewrites the table into a new disk file", 0.80));
        java.util.function.Predicate<String> corpus = w -> !w.equalsIgnoreCase("aws");
        String rewrite = "What does VACUUM FULL do?\nHow much will AWS charge me for the extra storage?";
        Evidence folded = Evidence.of(rewrite, close, List.of(), corpus);
        assertThat(folded.unknownTerms()).containsExactly("aw");
        assertThat(folded.followUpUnknownTerms()).as("not marked as a follow-up").isEmpty();
        assertThat(policy.answerable(folded)).as("confident: a first question may name an unknown term").isTrue();

        Evidence followUp = folded.forFollowUp("How much will AWS charge me for the extra storage?");
        assertThat(followUp.followUpUnknownTerms()).containsExactly("aw");
        assertThat(policy.answerable(followUp)).isFalse();
    }

    @Test
    void aFollowUpBorrowingTheUnknownTermFromAnEarlierTurnIsJudgedAsBefore() {
        var policy = new Answerability(0.40, 0.66);
        var close = List.of(chunk("a", "Failover is handled by an external cluster manager", 0.80));
        java.util.function.Predicate<String> corpus = w -> !w.equalsIgnoreCase("patroni");
        Evidence e = Evidence.of("Can Postgres fail over with Patroni?\nHow fast is it?", close, List.of(), corpus)
                .forFollowUp("How fast is it?");
        assertThat(e.unknownTerms()).containsExactly("patroni");
        assertThat(e.followUpUnknownTerms()).isEmpty();
        assertThat(policy.answerable(e)).isTrue();
        assertThat(e.forFollowUp(null)).isSameAs(e);
    }

    @Test
    void passagesKnownToBeBelowTheFloorAreNotSupported() {
        var policy = new Answerability(0.40, 0.66);
        var dense = List.of(chunk("a", "x", 0.70), chunk("b", "y", 0.30));
        var keywordOnly = chunk("c", "z", 12.0);
        Evidence e = Evidence.of("x", dense, List.of(keywordOnly));
        assertThat(policy.supported(List.of(dense.get(0), dense.get(1), keywordOnly), e))
                .extracting(m -> m.chunk().id()).containsExactly("a", "c");
        assertThatThrownBy(() -> new Answerability(0.7, 0.5)).hasMessageContaining("minDense <= confidentDense");
    }
}
