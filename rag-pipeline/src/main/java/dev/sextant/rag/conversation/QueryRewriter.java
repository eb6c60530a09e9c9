package dev.sextant.rag.conversation;

import java.util.Optional;

/**
 * Turns a conversation into the one query retrieval searches for. A follow-up ("and how do I undo that?") names
 * little of what it asks about; retrieved alone it finds the wrong pages. Implementations are thread-safe and never
 * fail on a valid request: a rewriter that depends on something remote falls back to a local rule.
 */
public interface QueryRewriter {

    RewriteResult rewrite(RewriteRequest request);

    /**
     * The chat-model call {@link #rewrite} makes for this request, if any, so a caller can admit and budget it
     * before it runs (the call may end up cheaper, never dearer).
     */
    Optional<ChatModel.Request> modelCall(RewriteRequest request);

    /**
     * The rewriter a configuration value names: {@code last} ({@link LastMessage}), {@code fold}
     * ({@link PreviousTurnFold}) or {@code model} ({@link ChatModelCondenser} over {@code model}, falling back to the
     * fold).
     *
     * @param model the chat model for {@code model}; asked for only then (may be null otherwise)
     */
    static QueryRewriter named(String name, java.util.function.Supplier<ChatModel> model) {
        return switch (name) {
            case "last" -> new LastMessage();
            case "fold" -> new PreviousTurnFold();
            case "model" -> new ChatModelCondenser(model.get(), new PreviousTurnFold());
            default -> throw new IllegalArgumentException("rewrite must be last, fold or model, got '" + name + "'");
        };
    }
}
