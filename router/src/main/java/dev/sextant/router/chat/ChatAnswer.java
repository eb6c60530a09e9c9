package dev.sextant.router.chat;

import dev.sextant.router.answer.Citation;
import java.util.List;

/**
 * A finished chat answer.
 *
 * @param retrieval {@code ok}, {@code none} (no retrieval: the inference-only service) or {@code unavailable}
 *                  (retrieval failed and {@code sextant.retrieval.on-failure=no-context}: answered without context)
 * @param coverage  whether the documents cover the question, when the answerability gate decided it
 */
public record ChatAnswer(String model, String text, String finishReason, int promptTokens, int completionTokens,
                         List<Citation> citations, boolean cached, String retrieval, Coverage coverage) {

    /** Whether this answer went through retrieval (and so has citations, cache and retrieval flags to report). */
    public boolean retrieved() {
        return !retrieval.equals("none");
    }
}
