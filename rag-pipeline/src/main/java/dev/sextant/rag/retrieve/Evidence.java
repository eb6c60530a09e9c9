package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the candidates of one retrieval say about whether the documents can answer the query, before any text is
 * generated: how close the best passage is in meaning, and which of the query's terms no candidate passage contains.
 * A term that none of the dense and keyword candidates contains is one the keyword search could not find anywhere
 * near the top: usually a name the corpus does not know ({@code Patroni}, {@code Tableau}), which is what questions
 * the documents do not answer tend to have, and paraphrased answerable ones do not.
 *
 * @param bestDense      highest cosine similarity among the dense candidates; NaN for a keyword-only search
 * @param unmatchedTerms the query's analyzed terms (stemmed, no stop words) that no candidate contains
 * @param queryTerms     how many analyzed terms the query has
 * @param denseScores    cosine similarity by chunk id, for the dense candidates
 */
public record Evidence(double bestDense, List<String> unmatchedTerms, int queryTerms,
                       Map<String, Double> denseScores) {

    public Evidence {
        unmatchedTerms = List.copyOf(unmatchedTerms);
        denseScores = Map.copyOf(denseScores);
    }

    /** No candidates looked at (retrieval unavailable or not run). */
    public static final Evidence NONE = new Evidence(Double.NaN, List.of(), 0, Map.of());

    /** Cosine similarity of a chunk to the query, when it was among the dense candidates; NaN otherwise. */
    public double dense(String chunkId) {
        return denseScores.getOrDefault(chunkId, Double.NaN);
    }

    static Evidence of(String query, List<ScoredChunk> dense, List<ScoredChunk> keyword) {
        Set<String> unmatched = new LinkedHashSet<>(QueryTerms.of(query));
        int total = unmatched.size();
        Set<String> seen = new HashSet<>();
        for (List<ScoredChunk> list : List.of(dense, keyword)) {
            for (ScoredChunk c : list) {
                if (unmatched.isEmpty()) {
                    break;
                }
                if (seen.add(c.chunk().id())) {
                    unmatched.removeAll(QueryTerms.of(c.chunk().keywordText()));
                }
            }
        }
        Map<String, Double> scores = new HashMap<>();
        double best = dense.isEmpty() ? Double.NaN : Double.NEGATIVE_INFINITY;
        for (ScoredChunk c : dense) {
            scores.putIfAbsent(c.chunk().id(), c.score());
            best = Math.max(best, c.score());
        }
        return new Evidence(best, new ArrayList<>(unmatched), total, scores);
    }
}
