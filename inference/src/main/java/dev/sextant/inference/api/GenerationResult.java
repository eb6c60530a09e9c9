package dev.sextant.inference.api;

/**
 * The generated text and the token counts used for usage reporting and billing.
 *
 * @param logprobs each generated token's log-probability, when the request asked for them; else empty
 */
public record GenerationResult(String model, String text, FinishReason finishReason, int promptTokens,
                               int completionTokens, java.util.List<TokenLogprob> logprobs) {

    public GenerationResult {
        logprobs = java.util.List.copyOf(logprobs);
    }

    public GenerationResult(String model, String text, FinishReason finishReason, int promptTokens,
                            int completionTokens) {
        this(model, text, finishReason, promptTokens, completionTokens, java.util.List.of());
    }
}
