package dev.sextant.inference.api;

import dev.sextant.inference.api.SamplingParams;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A completion to run.
 *
 * @param model     model id; {@code null} means the default model
 * @param prompt    a conversation or raw text
 * @param maxTokens most new tokens to generate
 * @param stop      strings that end generation; they are not part of the returned text
 * @param sampling  greedy or sampled decoding
 * @param timeout   generation ends with {@link FinishReason#TIMEOUT} this long after submission
 * @param ignoreEos keep generating past the end-of-sequence token until {@code maxTokens} (vLLM's
 *                  {@code ignore_eos}; for benchmarks that need a fixed output length)
 * @param format    what the output must be: text, or JSON decoded under a grammar
 * @param topLogprobs -1: no log-probabilities; 0..20: each token's, with that many most likely alternatives
 */
public record GenerationRequest(String model, Prompt prompt, int maxTokens, List<String> stop,
                                SamplingParams sampling, Duration timeout, boolean ignoreEos, ResponseFormat format,
                                int topLogprobs) {

    /** Most alternatives per token OpenAI allows (and we). */
    public static final int MAX_TOP_LOGPROBS = 20;

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        stop = List.copyOf(stop);
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(format, "format");
        if (topLogprobs < -1 || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new IllegalArgumentException("topLogprobs must be -1 (none) or 0.." + MAX_TOP_LOGPROBS + ", got "
                    + topLogprobs);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
        }
    }

    public GenerationRequest(String model, Prompt prompt, int maxTokens, List<String> stop, SamplingParams sampling,
                             Duration timeout, boolean ignoreEos) {
        this(model, prompt, maxTokens, stop, sampling, timeout, ignoreEos, ResponseFormat.TEXT, -1);
    }

    public GenerationRequest(String model, Prompt prompt, int maxTokens, List<String> stop, SamplingParams sampling,
                             Duration timeout, boolean ignoreEos, ResponseFormat format) {
        this(model, prompt, maxTokens, stop, sampling, timeout, ignoreEos, format, -1);
    }

    public boolean logprobs() {
        return topLogprobs >= 0;
    }

    /** The same request reporting each token's log-probability and {@code top} alternatives (-1: none). */
    public GenerationRequest withLogprobs(int top) {
        return new GenerationRequest(model, prompt, maxTokens, stop, sampling, timeout, ignoreEos, format, top);
    }

    public GenerationRequest(String model, Prompt prompt, int maxTokens, List<String> stop, SamplingParams sampling,
                             Duration timeout) {
        this(model, prompt, maxTokens, stop, sampling, timeout, false);
    }

    /** The same request with its output constrained to {@code responseFormat}. */
    public GenerationRequest withFormat(ResponseFormat responseFormat) {
        return new GenerationRequest(model, prompt, maxTokens, stop, sampling, timeout, ignoreEos, responseFormat,
                topLogprobs);
    }

    /** A greedy chat completion. */
    public static GenerationRequest chat(List<ChatMessage> messages, int maxTokens, List<String> stop,
                                         Duration timeout) {
        return new GenerationRequest(null, Prompt.chat(messages), maxTokens, stop, SamplingParams.GREEDY, timeout);
    }
}
