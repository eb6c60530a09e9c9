package dev.sextant.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.inference.api.ChatMessage;
import dev.sextant.rag.retrieve.ContextBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RagPromptTest {

    private static final List<ChatMessage> CONVERSATION = List.of(
            new ChatMessage("user", "How do I build an index without blocking writes?"),
            new ChatMessage("assistant", "Use CREATE INDEX CONCURRENTLY [1]."),
            new ChatMessage("user", "Can I run that in a transaction?"));

    private static ContextBuilder.Context context(String text) {
        var chunk = new dev.sextant.rag.store.ChunkStore.ScoredChunk(new dev.sextant.rag.chunk.Chunk("c", "t",
                "a.html", "A", List.of(), text, 0, "h"), 0.5);
        return new ContextBuilder.Context(text, text.isEmpty() ? List.of() : List.of(chunk));
    }

    @Test
    void systemLayoutPutsThePassagesBeforeTheConversation() {
        var prompt = RagPrompt.build(RagPrompt.Layout.SYSTEM, CONVERSATION, context("[1] passage"), true);
        assertThat(prompt).hasSize(4);
        assertThat(prompt.get(0).content()).endsWith("Context:\n[1] passage");
        assertThat(prompt.subList(1, 4)).isEqualTo(CONVERSATION);
    }

    @Test
    void lastTurnLayoutKeepsInstructionsAndHistoryTheSameAcrossTurns() {
        var turn2 = RagPrompt.build(RagPrompt.Layout.LAST_TURN, CONVERSATION, context("[1] passage A"), true);
        var turn1 = RagPrompt.build(RagPrompt.Layout.LAST_TURN, CONVERSATION.subList(0, 1), context("[1] other"),
                true);
        assertThat(turn2.get(0)).isEqualTo(turn1.get(0));
        assertThat(turn2.subList(1, 3)).isEqualTo(CONVERSATION.subList(0, 2));
        assertThat(turn2.get(3).content()).isEqualTo("Context:\n[1] passage A\n\nQuestion: Can I run that in a "
                + "transaction?");
        var unavailable = RagPrompt.build(RagPrompt.Layout.LAST_TURN, CONVERSATION, context(""), false);
        assertThat(unavailable.get(3).content()).contains("document search is unavailable");
        assertThat(RagPrompt.Layout.of("last-turn")).isEqualTo(RagPrompt.Layout.LAST_TURN);
        assertThat(RagPrompt.Layout.LAST_TURN.version()).isNotEqualTo(RagPrompt.Layout.SYSTEM.version());
    }
}
