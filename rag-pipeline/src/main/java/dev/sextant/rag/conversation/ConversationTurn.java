package dev.sextant.rag.conversation;

import java.util.Objects;
import java.util.Set;

/**
 * One message of a conversation as a rewriter sees it.
 *
 * @param role    {@code user}, {@code assistant} or {@code system}
 * @param content its text
 */
public record ConversationTurn(String role, String content) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String SYSTEM = "system";
    private static final Set<String> ROLES = Set.of(USER, ASSISTANT, SYSTEM);

    public ConversationTurn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of user, assistant, system; got '" + role + "'");
        }
    }

    public static ConversationTurn user(String content) {
        return new ConversationTurn(USER, content);
    }

    public static ConversationTurn assistant(String content) {
        return new ConversationTurn(ASSISTANT, content);
    }

    public boolean isUser() {
        return role.equals(USER);
    }
}
