package dev.sextant.rag.conversation;

import java.util.List;
import java.util.Objects;

/**
 * The seam through which {@link ChatModelCondenser} asks a chat model for text; the router adapts its inference
 * client to it and the evaluation an OpenAI-compatible HTTP endpoint, so this module depends on neither. Calls are
 * greedy (the same conversation gives the same query, which the response cache relies on).
 */
public interface ChatModel {

    /**
     * @throws RuntimeException when no text could be had (the caller falls back)
     */
    Reply complete(Request request);

    /**
     * @param messages  the prompt, oldest first
     * @param maxTokens new tokens at most
     * @param stop      strings that end generation (not part of the text)
     */
    record Request(List<ConversationTurn> messages, int maxTokens, List<String> stop) {
        public Request {
            messages = List.copyOf(messages);
            stop = List.copyOf(stop);
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("messages must not be empty");
            }
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
            }
        }
    }

    /**
     * @param text             what the model generated
     * @param promptTokens     tokens of the prompt as the model counted them (what the call is billed for)
     * @param completionTokens tokens generated
     */
    record Reply(String text, long promptTokens, long completionTokens) {
        public Reply {
            Objects.requireNonNull(text, "text");
            if (promptTokens < 0 || completionTokens < 0) {
                throw new IllegalArgumentException("token counts must be >= 0, got " + promptTokens + " and "
                        + completionTokens);
            }
        }
    }
}
