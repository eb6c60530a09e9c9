package dev.sextant.rag.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.rag.conversation.ChatModel;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chat-model judge's ordering, prompt and reply parsing, with a scripted seam (whether a model judges well is
 * what eval-retrieval's hybrid-page-chat row measures against a real one).
 */
class ChatModelRerankerTest {

    private final List<ChatModel.Request> calls = new ArrayList<>();

    private ChatModel judging(String yesWhenPassageHas) {
        return request -> {
            calls.add(request);
            String user = request.messages().get(1).content();
            return new ChatModel.Reply(user.contains(yesWhenPassageHas) ? "Yes." : "No", 50, 1);
        };
    }

    private static Reranker.RerankRequest request(ScoredChunk... candidates) {
        return new Reranker.RerankRequest("How do I vacuum a table?", List.of(candidates), List.of(), List.of());
    }

    @Test
    void passagesJudgedRelevantMoveAheadInTheirFusedOrder() {
        var a = RerankerTest.chunk("a#0", "Indexes", "CREATE INDEX builds an index.", 0.9);
        var b = RerankerTest.chunk("b#0", "VACUUM", "VACUUM reclaims storage of a table.", 0.8);
        var c = RerankerTest.chunk("c#0", "Routine vacuuming", "Run VACUUM regularly.", 0.7);
        var d = RerankerTest.chunk("d#0", "VACUUM FULL", "VACUUM FULL rewrites the table.", 0.6);
        List<ScoredChunk> ranked = new ChatModelReranker(judging("VACUUM"), 3).rerank(request(a, b, c, d)).ranked();
        // b and c are judged yes; d would be too but lies below the depth, so it keeps its place after a.
        assertThat(ranked).extracting(s -> s.chunk().id()).containsExactly("b#0", "c#0", "a#0", "d#0");
        assertThat(calls).hasSize(3);
        assertThat(ranked.get(0).score()).isGreaterThan(ranked.get(2).score());
    }

    @Test
    void aModelThatSaysTheSameToEverythingOrFailsChangesNothing() {
        var a = RerankerTest.chunk("a#0", "A", "one", 0.9);
        var b = RerankerTest.chunk("b#0", "B", "two", 0.8);
        ChatModel yes = request -> new ChatModel.Reply("yes", 1, 1);
        ChatModel failing = request -> {
            throw new IllegalStateException("connection refused");
        };
        for (ChatModel model : List.of(yes, failing)) {
            assertThat(new ChatModelReranker(model, 5).rerank(request(a, b)).ranked())
                    .extracting(s -> s.chunk().id()).containsExactly("a#0", "b#0");
        }
    }

    @Test
    void thePromptShowsTheQuestionTheTitleAndTheStartOfALongPassage() {
        var longPassage = RerankerTest.chunk("a#0", "VACUUM", "word ".repeat(400), 0.9);
        new ChatModelReranker(judging("x"), 1).rerank(request(longPassage));
        ChatModel.Request call = calls.get(0);
        assertThat(call.maxTokens()).isLessThanOrEqualTo(3);
        assertThat(call.messages().get(0).content()).isEqualTo(ChatModelReranker.INSTRUCTION);
        String user = call.messages().get(1).content();
        assertThat(user).startsWith("Question: How do I vacuum a table?\n\nPassage:\nVACUUM\n")
                .endsWith("Reply yes or no.").contains(" ...");
        assertThat(user.length()).isLessThan(ChatModelReranker.PASSAGE_CHARS + 200);
    }

    @Test
    void onlyAReplyOpeningWithTheWordYesCounts() {
        assertThat(ChatModelReranker.saysYes("Yes")).isTrue();
        assertThat(ChatModelReranker.saysYes(" \"yes, it does")).isTrue();
        assertThat(ChatModelReranker.saysYes("**Yes**")).isTrue();
        assertThat(ChatModelReranker.saysYes("No")).isFalse();
        assertThat(ChatModelReranker.saysYes("yesterday")).isFalse();
        assertThat(ChatModelReranker.saysYes("")).isFalse();
        assertThatThrownBy(() -> new ChatModelReranker(request -> null, 0)).hasMessageContaining("depth");
    }
}
