package dev.sextant.rag.conversation;

import java.util.Objects;

/**
 * The query to retrieve (and to look up in the semantic cache) for a conversation, and how it was made.
 *
 * @param query    standalone text, never blank
 * @param method   how {@code query} came about
 * @param fallback why a model's rewrite was not used (the call failed, or its output was not a usable question);
 *                 null when nothing fell back
 * @param promptTokens     tokens a model call for the rewrite was billed for (0 when no model ran), also when its
 *                         output was not used
 * @param completionTokens tokens that call generated
 */
public record RewriteResult(String query, Method method, String fallback, long promptTokens,
                            long completionTokens) {

    /** How a query was made. */
    public enum Method {
        /** The user's message unchanged: a first question, one that stands alone, or the last-message rewriter. */
        AS_ASKED,
        /** The message with earlier user turns folded in by rule. */
        FOLDED,
        /** A chat model's standalone rewrite of the message. */
        CONDENSED;

        /** Lower-case name for logs and JSON ({@code as_asked}, {@code folded}, {@code condensed}). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RewriteResult {
        Objects.requireNonNull(method, "method");
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query must not be empty");
        }
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0");
        }
    }

    public RewriteResult(String query, Method method) {
        this(query, method, null, 0, 0);
    }

    /** The same query, noting why a model's rewrite was not used. */
    public RewriteResult fellBack(String why) {
        return new RewriteResult(query, method, why, promptTokens, completionTokens);
    }

    /** The same query, costing the tokens of a model call made for it. */
    public RewriteResult costing(ChatModel.Reply reply) {
        return new RewriteResult(query, method, fallback, reply.promptTokens(), reply.completionTokens());
    }
}
