package dev.sextant.router.chat;

import dev.sextant.inference.api.TokenLogprob;
import dev.sextant.router.answer.Citation;
import java.util.List;

/**
 * A finished chat answer.
 *
 * @param retrieval {@code ok}, {@code none} (no retrieval: the inference-only service) or {@code unavailable}
 *                  (retrieval failed and {@code sextant.retrieval.on-failure=no-context}: answered without context)
 * @param coverage  whether the documents cover the question, when the answerability gate decided it
 * @param logprobs  each generated token's log-probability, when the request asked for them (empty otherwise, and
 *                  for a fixed refusal, which no model wrote)
 */
public record ChatAnswer(String model, String text, String finishReason, int promptTokens, int completionTokens,
                         List<Citation> citations, boolean cached, String retrieval, Coverage coverage,
                         List<TokenLogprob> logprobs) {

    public ChatAnswer {
        logprobs = List.copyOf(logprobs);
    }

    public ChatAnswer(String model, String text, String finishReason, int promptTokens, int completionTokens,
                      List<Citation> citations, boolean cached, String retrieval, Coverage coverage) {
        this(model, text, finishReason, promptTokens, completionTokens, citations, cached, retrieval, coverage,
                List.of());
    }

    /** Whether this answer went through retrieval (and so has citations, cache and retrieval flags to report). */
    public boolean retrieved() {
        return !retrieval.equals("none");
    }
}
