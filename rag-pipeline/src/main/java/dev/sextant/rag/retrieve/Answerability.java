package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.List;

/**
 * Decides from a retrieval's {@link Evidence} whether the documents answer the query, and which passages are close
 * enough to the query to be shown to the model. Thresholds are cosine similarities of the embedding model in use,
 * chosen on labelled question sets (eval-retrieval reports the evidence of every question).
 *
 * @param minDense       below this the best passage is unrelated: not answerable, and no passage under it is used
 * @param confidentDense at or above this the best passage answers even when some query term is found nowhere
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
     * {@link #minDense} close while every query term occurs in some candidate. A keyword-only search (no dense
     * score) answers when every query term occurs in some candidate.
     */
    public boolean answerable(Evidence evidence) {
        if (evidence.queryTerms() == 0 && Double.isNaN(evidence.bestDense())) {
            return false;
        }
        boolean allTermsFound = evidence.unmatchedTerms().isEmpty();
        if (Double.isNaN(evidence.bestDense())) {
            return allTermsFound;
        }
        return evidence.bestDense() >= confidentDense || evidence.bestDense() >= minDense && allTermsFound;
    }

    /** The matches at least {@link #minDense} close to the query; all of them for a keyword-only search. */
    public List<ScoredChunk> supported(List<ScoredChunk> matches, Evidence evidence) {
        if (Double.isNaN(evidence.bestDense())) {
            return matches;
        }
        return matches.stream().filter(m -> evidence.dense(m.chunk().id()) >= minDense).toList();
    }
}
