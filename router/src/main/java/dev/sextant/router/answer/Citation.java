package dev.sextant.router.answer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A chunk the answer was given as context; {@code index} is its number in the prompt ({@code [1]}), {@code text}
 * the passage itself (to show next to the answer, or to check the answer against).
 *
 * @param cited whether the answer cites it with a marker; false: given as context only
 */
public record Citation(int index, String source, @JsonProperty("chunk_id") String chunkId, double score,
                       String title, String text, boolean cited) {

    public Citation withCited(boolean cited) {
        return new Citation(index, source, chunkId, score, title, text, cited);
    }
}
