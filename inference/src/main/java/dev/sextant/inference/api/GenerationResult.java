package dev.sextant.inference.api;

/** The generated text and the token counts used for usage reporting and billing. */
public record GenerationResult(String model, String text, FinishReason finishReason, int promptTokens,
                               int completionTokens) {
}
