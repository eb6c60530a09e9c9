package dev.sextant.rag.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptTextTest {

    @Test
    void oneLineJoinsLinesAndRunsOfWhitespace() {
        assertThat(PromptText.oneLine("  VACUUM\n\tFULL   rewrites\r\nthe table \n"))
                .isEqualTo("VACUUM FULL rewrites the table");
    }

    @Test
    void clipLeavesShortTextAlone() {
        assertThat(PromptText.clip("short text", 10, " ...")).isEqualTo("short text");
    }

    @Test
    void clipCutsBeforeTheLastSpaceWithinTheLimit() {
        assertThat(PromptText.clip("one two three four", 9, " ...")).isEqualTo("one two ...");
        assertThat(PromptText.clip("one two three four", 7, "")).isEqualTo("one two");
    }

    @Test
    void clipCutsAWordWithoutSpacesAtTheLimit() {
        assertThat(PromptText.clip("pg_stat_statements_reset", 8, " ...")).isEqualTo("pg_stat_ ...");
    }
}
