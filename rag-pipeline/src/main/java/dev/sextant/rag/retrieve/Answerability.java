package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.List;

/**
 * Decides from a retrieval's {@link Evidence} whether the documents answer the query, and which passages are close
 * enough to the query to be shown to the model. Thresholds are cosine similarities of the embedding model in use,
 * chosen on labelled question sets (eval-retrieval reports the evidence of every question).
 *
 * @param minDense       below this the best passage is unrelated: not answerable, and no passage known to be under it
 *                       is used
 * @param confidentDense at or above this the best passage answers even when the query names a term the documents
 *                       contain nowhere
 */
public record Answerability(double minDense, double confidentDense) {

    public Answerability {
        if (!(minDense >= -1 && minDense <= confidentDense && confidentDense <= 1)) {
            throw new IllegalArgumentException("need -1 <= minDense <= confidentDense <= 1, got " + minDense
                    + " and " + confidentDense);
        }
    }

    /**
     * Whether the documents answer the query: a passage at least {@link #confidentDense} close, or one at least
     * {@link #minDense} close while the documents know every query term ({@link Evidence#unknownTerms()}). A
     * keyword-only search (no dense score) answers when every query term occurs in some candidate. A rewritten
     * follow-up that itself names a term the documents contain nowhere ({@link Evidence#followUpUnknownTerms()}) is
     * not answered however close the passages are: they match the subject it borrowed from earlier turns.
     */
    public boolean answerable(Evidence evidence) {
        if (evidence.queryTerms() == 0 && Double.isNaN(evidence.bestDense())) {
            return false;
        }
        if (!evidence.followUpUnknownTerms().isEmpty()) {
            return false;
        }
        if (Double.isNaN(evidence.bestDense())) {
            return evidence.unmatchedTerms().isEmpty();
        }
        return evidence.bestDense() >= confidentDense
                || evidence.bestDense() >= minDense && evidence.unknownTerms().isEmpty();
    }

    /**
     * The matches not known to be below {@link #minDense}: a match found by keyword alone (not among the dense
     * candidates) has no cosine here and stays, since its terms are evidence of their own.
     */
    public List<ScoredChunk> supported(List<ScoredChunk> matches, Evidence evidence) {
        return matches.stream().filter(m -> !(evidence.dense(m.chunk().id()) < minDense)).toList();
    }
}
