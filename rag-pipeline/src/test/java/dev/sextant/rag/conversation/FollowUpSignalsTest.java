package dev.sextant.rag.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FollowUpSignalsTest {

    @Test
    void anOpeningConnectiveMarksAFollowUp() {
        var s = FollowUpSignals.of("And what about a table with millions of rows in production?");
        assertThat(s.opener()).isEqualTo("and");
        assertThat(s.followUp()).isTrue();
        assertThat(FollowUpSignals.of("What about replicas running in another region entirely?").opener())
                .isEqualTo("what about");
        assertThat(FollowUpSignals.of("Android phones store databases where exactly?").opener()).isNull();
    }

    @Test
    void wordsPointingBackMarkAFollowUp() {
        var s = FollowUpSignals.of("Does the full one lock the table while it works?");
        assertThat(s.referring()).containsExactly("one", "it");
        assertThat(s.followUp()).isTrue();
    }

    @Test
    void aMessageNamingAlmostNothingIsAFollowUp() {
        var s = FollowUpSignals.of("Why not?");
        assertThat(s.opener()).isNull();
        assertThat(s.referring()).isEmpty();
        assertThat(s.contentWords()).isEmpty();
        assertThat(s.followUp()).isTrue();
        assertThat(FollowUpSignals.of("Any limits on replication slots?").followUp()).as("3 content words")
                .isFalse();
    }

    @Test
    void aQuestionNamingItsSubjectStandsAlone() {
        var s = FollowUpSignals.of("How do I switch a database over to write-ahead logging?");
        assertThat(s.followUp()).isFalse();
        assertThat(s.contentWords()).containsExactly("switch", "database", "write-ahead", "logging");
    }

    @Test
    void curlyApostrophesAndSentenceDotsAreNormalised() {
        assertThat(FollowUpSignals.words("It’s in pg_hba.conf. Isn’t it?"))
                .containsExactly("it's", "in", "pg_hba.conf", "isn't", "it");
    }
}
