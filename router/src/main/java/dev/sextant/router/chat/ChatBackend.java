package dev.sextant.router.chat;

import dev.sextant.inference.api.TokenStream;

/**
 * What answers {@code /v1/chat/completions} in this process, chosen once by its role: retrieval-augmented
 * ({@link RetrievalAugmentedChat}: the all-in-one server and the router) or the model alone ({@link ModelOnlyChat}:
 * the inference service).
 */
public interface ChatBackend {

    /** @param stream receives the answer's text as it is generated (or replayed from the cache) */
    record ChatQuery(ChatCompletionRequest request, String tenant, TokenStream stream) {
    }

    ChatAnswer answer(ChatQuery query);

    /** The model a request will be answered by. */
    String modelFor(ChatCompletionRequest request);

    /**
     * What a request may cost at most, known before it runs (the admission estimate): the conversation, the
     * retrieved context it may get, {@code max_tokens}, and any model call made on its way (condensing a follow-up).
     */
    record WorstCase(long promptTokens, long completionTokens) {
    }

    WorstCase worstCase(ChatCompletionRequest request);
}
