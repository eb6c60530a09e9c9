package dev.sextant.rag.conversation;

import java.util.List;

/**
 * A conversation whose last turn is the user's new message, to be turned into one query for retrieval.
 *
 * @param turns oldest first; the last one is a user turn with text
 */
public record RewriteRequest(List<ConversationTurn> turns) {

    public RewriteRequest {
        turns = List.copyOf(turns);
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("a conversation needs at least the user's message");
        }
        ConversationTurn last = turns.get(turns.size() - 1);
        if (!last.isUser()) {
            throw new IllegalArgumentException("the last turn must be the user's message, got a " + last.role()
                    + " turn");
        }
        if (last.content().isBlank()) {
            throw new IllegalArgumentException("the user's message must not be empty");
        }
    }

    /** A conversation of one question. */
    public static RewriteRequest of(String message) {
        return new RewriteRequest(List.of(ConversationTurn.user(message)));
    }

    /** The user's new message. */
    public String message() {
        return turns.get(turns.size() - 1).content();
    }

    /** The turns before the new message, oldest first. */
    public List<ConversationTurn> history() {
        return turns.subList(0, turns.size() - 1);
    }

    /** Whether an earlier user turn exists, i.e. the message can be a follow-up at all. */
    public boolean hasEarlierQuestion() {
        return history().stream().anyMatch(t -> t.isUser() && !t.content().isBlank());
    }
}
