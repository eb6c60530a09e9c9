package dev.sextant.router.chat;

import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.rag.conversation.ChatModel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The router's inference client behind rag-pipeline's {@link ChatModel} seam, for the query condenser
 * ({@code sextant.retrieval.rewrite=model}): a greedy chat completion of the default model, cut short by
 * {@code timeout} (a rewrite that takes longer is worth less than the fold it falls back to). Inference errors
 * (queue full, replica down) propagate, and the condenser falls back.
 */
public final class InferenceChatModel implements ChatModel {

    private final InferenceClient inference;
    private final Duration timeout;

    public InferenceChatModel(InferenceClient inference, Duration timeout) {
        this.inference = Objects.requireNonNull(inference, "inference");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Reply complete(Request request) {
        List<ChatMessage> messages = request.messages().stream()
                .map(m -> new ChatMessage(m.role(), m.content())).toList();
        var result = inference.generate(GenerationRequest.chat(messages, request.maxTokens(), request.stop(),
                timeout), TokenStream.DISCARD);
        return new Reply(result.text(), result.promptTokens(), result.completionTokens());
    }
}
