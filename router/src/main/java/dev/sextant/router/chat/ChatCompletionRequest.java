package dev.sextant.router.chat;

import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.ResponseFormat;
import dev.sextant.inference.api.SamplingParams;
import java.util.List;

/**
 * The parts of an OpenAI chat completion request that sextant uses, validated (parsed by the HTTP layer).
 *
 * @param ignoreEos vLLM's {@code ignore_eos}: generate {@code maxTokens} tokens even past end-of-sequence
 * @param format    OpenAI's {@code response_format}: text, or JSON enforced while decoding
 * @param topLogprobs -1: no {@code logprobs}; 0..20: each token's, with {@code top_logprobs} alternatives
 */
public record ChatCompletionRequest(String model, List<ChatMessage> messages, boolean stream, int maxTokens,
                                    List<String> stop, SamplingParams sampling, boolean includeUsageInStream,
                                    boolean ignoreEos, ResponseFormat format, int topLogprobs) {

    public ChatCompletionRequest(String model, List<ChatMessage> messages, boolean stream, int maxTokens,
                                 List<String> stop, SamplingParams sampling, boolean includeUsageInStream,
                                 boolean ignoreEos, ResponseFormat format) {
        this(model, messages, stream, maxTokens, stop, sampling, includeUsageInStream, ignoreEos, format, -1);
    }

    public boolean logprobs() {
        return topLogprobs >= 0;
    }

    public ChatCompletionRequest(String model, List<ChatMessage> messages, boolean stream, int maxTokens,
                                 List<String> stop, SamplingParams sampling, boolean includeUsageInStream,
                                 boolean ignoreEos) {
        this(model, messages, stream, maxTokens, stop, sampling, includeUsageInStream, ignoreEos,
                ResponseFormat.TEXT);
    }

    /** The question retrieval runs on: the last user message. */
    public String lastUserMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).content();
            }
        }
        throw new IllegalStateException("validated request has no user message");
    }
}
