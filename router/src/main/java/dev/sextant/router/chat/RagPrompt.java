package dev.sextant.router.chat;

import dev.sextant.inference.api.ChatMessage;
import dev.sextant.rag.retrieve.ContextBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out a retrieval-augmented prompt: our instructions, the caller's conversation and the numbered passages.
 * Where the passages go decides what an engine's prefix cache can reuse from one turn to the next:
 * <ul>
 *   <li>{@link Layout#SYSTEM}: passages in our system message, before the conversation; a new turn's passages
 *       change the prompt from its first message on, so nothing of the history is reused;</li>
 *   <li>{@link Layout#LAST_TURN}: a fixed system message, the conversation as sent, and the passages inside the
 *       last user message before its question; instructions and history are the same bytes in every turn.</li>
 * </ul>
 */
public final class RagPrompt {

    /** Where the passages go ({@code sextant.retrieval.context-layout}). */
    public enum Layout {
        SYSTEM, LAST_TURN;

        public static Layout of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        /** Part of the response cache's prompt version: answers made under another layout are not reused. */
        public String version() {
            return this == SYSTEM ? "rag-v1" : "rag-v1-last-turn";
        }
    }

    static final String INSTRUCTIONS = "You are a helpful assistant. Answer the question using the "
            + "numbered context passages below and cite them like [1]. If the context does not contain the answer, "
            + "say that you do not know.";
    private static final String LAST_TURN_INSTRUCTIONS = "You are a helpful assistant. Answer each question using "
            + "the numbered context passages given with it and cite them like [1]. If the context does not contain "
            + "the answer, say that you do not know.";

    private RagPrompt() {
    }

    /**
     * @param retrieved false when retrieval failed: the model is told the search is unavailable
     */
    static List<ChatMessage> build(Layout layout, List<ChatMessage> messages, ContextBuilder.Context context,
                                   boolean retrieved) {
        String passages = !retrieved ? "(the document search is unavailable right now; say so if the question "
                + "needs the documents)" : context.isEmpty() ? "(no relevant passages found)" : context.text();
        List<ChatMessage> out = new ArrayList<>();
        if (layout == Layout.SYSTEM) {
            out.add(new ChatMessage("system", INSTRUCTIONS + "\n\nContext:\n" + passages));
            // The caller's own system prompt follows ours so it can refine tone without losing the context.
            out.addAll(messages);
            return out;
        }
        out.add(new ChatMessage("system", LAST_TURN_INSTRUCTIONS));
        int last = lastUser(messages);
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            out.add(i != last ? m : new ChatMessage("user", "Context:\n" + passages + "\n\nQuestion: "
                    + m.content()));
        }
        return out;
    }

    private static int lastUser(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return i;
            }
        }
        throw new IllegalArgumentException("a chat needs a user message");
    }
}
