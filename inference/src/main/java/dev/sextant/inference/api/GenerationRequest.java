package dev.sextant.inference.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A chat completion to run.
 *
 * @param model     model id; {@code null} means the default model
 * @param messages  the conversation, rendered with the model's chat template
 * @param maxTokens most new tokens to generate
 * @param stop      strings that end generation; they are not part of the returned text
 * @param timeout   generation ends with {@link FinishReason#TIMEOUT} after this long
 */
public record GenerationRequest(String model, List<ChatMessage> messages, int maxTokens, List<String> stop,
                                Duration timeout) {
    public GenerationRequest {
        messages = List.copyOf(messages);
        stop = List.copyOf(stop);
        Objects.requireNonNull(timeout, "timeout");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
        }
    }
}
