package dev.sextant.rag.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The condenser's prompt, parsing and fallbacks, with a scripted seam (what a model answers is given, so nothing
 * here says whether a model condenses well: the eval-conversations command measures that against a real one).
 */
class ChatModelCondenserTest {

    static final RewriteRequest FOLLOW_UP = PreviousTurnFoldTest.conversation(PreviousTurnFoldTest.FIRST,
            PreviousTurnFoldTest.ANSWER, "Can I run that inside a transaction block?");

    private final List<ChatModel.Request> calls = new ArrayList<>();

    private ChatModelCondenser answering(String text) {
        return new ChatModelCondenser(request -> {
            calls.add(request);
            return new ChatModel.Reply(text, 90, 12);
        }, new PreviousTurnFold());
    }

    @Test
    void aFirstQuestionCallsNoModel() {
        RewriteResult r = answering("unused?").rewrite(RewriteRequest.of("How do I vacuum a table?"));
        assertThat(calls).isEmpty();
        assertThat(r.method()).isEqualTo(RewriteResult.Method.AS_ASKED);
        assertThat(r.promptTokens() + r.completionTokens()).isZero();
        assertThat(answering("unused?").modelCall(RewriteRequest.of("How do I vacuum a table?"))).isEmpty();
    }

    @Test
    void theCallAnnouncedBeforehandIsTheCallMade() {
        ChatModelCondenser condenser = answering("Can CREATE INDEX CONCURRENTLY run inside a transaction block?");
        ChatModel.Request announced = condenser.modelCall(FOLLOW_UP).orElseThrow();
        condenser.rewrite(FOLLOW_UP);
        assertThat(calls).containsExactly(announced);
        assertThat(new LastMessage().modelCall(FOLLOW_UP)).isEmpty();
        assertThat(new PreviousTurnFold().modelCall(FOLLOW_UP)).isEmpty();
    }

    @Test
    void theModelSeesTheInstructionAnExampleAndTheConversation() {
        RewriteResult r = answering("Standalone question: \"Can CREATE INDEX CONCURRENTLY run inside a transaction "
                + "block?\"\nIt cannot.").rewrite(FOLLOW_UP);
        assertThat(r.query()).isEqualTo("Can CREATE INDEX CONCURRENTLY run inside a transaction block?");
        assertThat(r.method()).isEqualTo(RewriteResult.Method.CONDENSED);
        assertThat(r.fallback()).isNull();
        // What the call cost travels with the query, to be billed.
        assertThat(r.promptTokens()).isEqualTo(90);
        assertThat(r.completionTokens()).isEqualTo(12);
        ChatModel.Request call = calls.get(0);
        assertThat(call.maxTokens()).isEqualTo(ChatModelCondenser.MAX_TOKENS);
        assertThat(call.stop()).containsExactly("\n");
        List<ConversationTurn> m = call.messages();
        assertThat(m).hasSize(4);
        assertThat(m.get(0)).isEqualTo(new ConversationTurn("system", ChatModelCondenser.INSTRUCTION));
        assertThat(m.get(2).role()).isEqualTo("assistant");
        assertThat(m.get(3).content()).isEqualTo("Conversation:\nUser: " + PreviousTurnFoldTest.FIRST
                + "\nAssistant: " + PreviousTurnFoldTest.ANSWER
                + "\n\nFollow-up question: Can I run that inside a transaction block?\nStandalone question:");
    }

    @Test
    void onlyTheLatestTurnsAndTheStartOfLongAnswersAreShown() {
        List<ConversationTurn> turns = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            turns.add(ConversationTurn.user("Question number " + i + " about tables?"));
            turns.add(ConversationTurn.assistant("answer ".repeat(80)));
        }
        turns.add(ConversationTurn.user("And that?"));
        String shown = ChatModelCondenser.messages(new RewriteRequest(turns)).get(3).content();
        assertThat(shown).doesNotContain("number 1").contains("number 2").contains("number 3");
        assertThat(shown.lines().filter(l -> l.startsWith("Assistant: ")))
                .allSatisfy(l -> assertThat(l).hasSizeLessThan(ChatModelCondenser.ANSWER_CHARS + 20).endsWith(" ..."));
    }

    @Test
    void unusableOutputFallsBackToTheFoldAndSaysWhy() {
        String folded = new PreviousTurnFold().rewrite(FOLLOW_UP).query();
        record Case(String output, String why) {
        }
        for (Case c : List.of(new Case("  \n ", "model output empty"),
                new Case("No, it cannot run inside a transaction block.", "not a question"),
                new Case(PreviousTurnFoldTest.FIRST, "repeats an earlier turn"),
                new Case(PreviousTurnFoldTest.FIRST.replace("?", "").toLowerCase(), "repeats an earlier turn"),
                new Case("What is the weather like today?", "keeps none of the message's words"),
                new Case("Can I run it? User: thanks", "continues the conversation"),
                new Case("Can I " + "run ".repeat(120) + "?", "longer than"))) {
            RewriteResult r = answering(c.output()).rewrite(FOLLOW_UP);
            assertThat(r.query()).as(c.output()).isEqualTo(folded);
            assertThat(r.method()).isEqualTo(RewriteResult.Method.FOLDED);
            assertThat(r.fallback()).as(c.output()).contains(c.why());
            assertThat(r.promptTokens()).as("an unused rewrite was still generated").isEqualTo(90);
        }
    }

    @Test
    void aFailedCallFallsBack() {
        ChatModelCondenser condenser = new ChatModelCondenser(request -> {
            throw new IllegalStateException("connection refused");
        }, new LastMessage());
        RewriteResult r = condenser.rewrite(FOLLOW_UP);
        assertThat(r.query()).isEqualTo("Can I run that inside a transaction block?");
        assertThat(r.fallback()).isEqualTo("model call failed: connection refused");
        assertThat(r.promptTokens() + r.completionTokens()).isZero();
    }
}
