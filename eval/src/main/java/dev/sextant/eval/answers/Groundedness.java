package dev.sextant.eval.answers;

import java.util.List;
import java.util.function.Function;

/**
 * How far the chunks an answer cited support it, as {@link GroundednessMetric} scores it.
 *
 * @param score     supported / judged sentences, or the fallback when none is judged (see
 *                  {@link GroundednessMetric#groundedness(String, List, Function)})
 * @param sentences the judged sentences, in answer order
 */
public record Groundedness(double score, List<SentenceSupport> sentences) {

    public Groundedness {
        sentences = List.copyOf(sentences);
    }

    public long supported() {
        return sentences.stream().filter(SentenceSupport::supported).count();
    }

    /**
     * How one judged sentence fared against the cited chunks.
     *
     * @param sentence  the sentence, citation markers removed
     * @param overlap   the best content-word overlap over the chunks (0 with no chunk)
     * @param cosine    the best cosine similarity over the chunks, NaN without an embedder or chunk
     * @param supported whether some chunk supports it
     */
    public record SentenceSupport(String sentence, double overlap, double cosine, boolean supported) {
    }
}
