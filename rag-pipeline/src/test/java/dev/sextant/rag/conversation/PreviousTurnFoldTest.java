package dev.sextant.rag.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreviousTurnFoldTest {

    static final String FIRST = "How do I build an index on a busy table without blocking writes?";
    static final String ANSWER = "Use CREATE INDEX CONCURRENTLY: it takes no lock that blocks writes.";

    static RewriteRequest conversation(String... turns) {
        List<ConversationTurn> list = new java.util.ArrayList<>();
        for (int i = 0; i < turns.length; i++) {
            list.add(i % 2 == 0 ? ConversationTurn.user(turns[i]) : ConversationTurn.assistant(turns[i]));
        }
        return new RewriteRequest(list);
    }

    @Test
    void aFirstQuestionIsSearchedAsAsked() {
        RewriteResult r = new PreviousTurnFold().rewrite(RewriteRequest.of("  " + FIRST + " "));
        assertThat(r.query()).isEqualTo(FIRST);
        assertThat(r.method()).isEqualTo(RewriteResult.Method.AS_ASKED);
        assertThat(r.fallback()).isNull();
    }

    @Test
    void aFollowUpGetsThePreviousQuestionInFront() {
        RewriteResult r = new PreviousTurnFold().rewrite(conversation(FIRST, ANSWER,
                "Can I run that inside a transaction block?"));
        assertThat(r.method()).isEqualTo(RewriteResult.Method.FOLDED);
        assertThat(r.query()).isEqualTo(FIRST + "\nCan I run that inside a transaction block?");
    }

    @Test
    void aStandaloneLaterQuestionIsSearchedAsAsked() {
        String other = "Which settings control the number of autovacuum workers on a server?";
        RewriteResult r = new PreviousTurnFold().rewrite(conversation(FIRST, ANSWER, other));
        assertThat(r.method()).isEqualTo(RewriteResult.Method.AS_ASKED);
        assertThat(r.query()).isEqualTo(other);
    }

    @Test
    void goingBackStopsAtTheQuestionTheThreadStartedFrom() {
        String unrelated = "Where does the server write its log files by default on Debian systems?";
        RewriteRequest request = conversation(unrelated, "In /var/log/postgresql.", FIRST, ANSWER,
                "Can I run that inside a transaction block?", "No.", "And if it fails halfway?");
        assertThat(new PreviousTurnFold().rewrite(request).query()).isEqualTo(FIRST
                + "\nCan I run that inside a transaction block?\nAnd if it fails halfway?");
        var fixedTwo = new PreviousTurnFold(new PreviousTurnFold.Options(3, false, false, false));
        assertThat(fixedTwo.rewrite(request).query()).startsWith(unrelated + "\n" + FIRST);
        var one = new PreviousTurnFold(new PreviousTurnFold.Options(1, true, false, false));
        assertThat(one.rewrite(request).query())
                .isEqualTo("Can I run that inside a transaction block?\nAnd if it fails halfway?");
    }

    @Test
    void optionsFoldAlwaysAndTheLastAnswer() {
        String other = "Which settings control the number of autovacuum workers on a server?";
        var always = new PreviousTurnFold(new PreviousTurnFold.Options(3, true, true, false));
        assertThat(always.rewrite(conversation(FIRST, ANSWER, other)).query()).isEqualTo(FIRST + "\n" + other);
        var answer = new PreviousTurnFold(new PreviousTurnFold.Options(3, true, false, true));
        assertThat(answer.rewrite(conversation(FIRST, ANSWER, "And then?")).query())
                .isEqualTo(FIRST + "\n" + ANSWER + "\nAnd then?");
        String longAnswer = "word ".repeat(100).strip();
        String folded = answer.rewrite(conversation(FIRST, longAnswer, "And then?")).query();
        assertThat(folded.split("\n")[1]).hasSizeLessThanOrEqualTo(PreviousTurnFold.ANSWER_CHARS);
        assertThatThrownBy(() -> new PreviousTurnFold.Options(0, true, false, false))
                .hasMessageContaining("maxTurns");
    }

    @Test
    void lastMessageIgnoresTheHistory() {
        RewriteResult r = new LastMessage().rewrite(conversation(FIRST, ANSWER, "Can I run that inside one?"));
        assertThat(r.query()).isEqualTo("Can I run that inside one?");
        assertThat(r.method()).isEqualTo(RewriteResult.Method.AS_ASKED);
    }

    @Test
    void aRequestMustEndWithTheUsersMessage() {
        assertThatThrownBy(() -> new RewriteRequest(List.of())).hasMessageContaining("at least");
        assertThatThrownBy(() -> conversation(FIRST, ANSWER)).hasMessageContaining("last turn must be the user's");
        assertThatThrownBy(() -> RewriteRequest.of("  ")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> new ConversationTurn("tool", "x")).hasMessageContaining("role must be");
    }

    @Test
    void rewritersAreNamedByConfiguration() {
        assertThat(QueryRewriter.named("last", () -> null)).isInstanceOf(LastMessage.class);
        assertThat(QueryRewriter.named("fold", () -> null)).isInstanceOf(PreviousTurnFold.class);
        assertThat(QueryRewriter.named("model", () -> request -> new ChatModel.Reply("x?", 1, 1)))
                .isInstanceOf(ChatModelCondenser.class);
        assertThatThrownBy(() -> QueryRewriter.named("llm", () -> null)).hasMessageContaining("last, fold or model");
    }
}
