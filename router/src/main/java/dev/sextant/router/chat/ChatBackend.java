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

    /** Tokens of retrieved context a prompt may get on top of the conversation (for the admission estimate). */
    int contextTokens();
}
