package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the candidates of one retrieval say about whether the documents can answer the query, before any text is
 * generated: how close the best passage is in meaning, which of the query's terms no candidate passage contains, and
 * which of those the documents contain nowhere at all. A term the whole corpus lacks is usually a name the documents do
 * not know ({@code Patroni}, {@code SQLAlchemy}, {@code AWS}), which is what questions the documents do not answer
 * tend to have; a word merely missing from the candidates is as often a paraphrase ({@code fresh}, {@code quickest}).
 *
 * @param bestDense      highest cosine similarity among the dense candidates; NaN for a keyword-only search
 * @param unmatchedTerms the query's analyzed terms (stemmed, no stop words) that no candidate contains
 * @param unknownTerms   those of the unmatched terms that are rare words (not one token of the embedder's
 *                       vocabulary) and that no stored chunk of the tenant contains; empty when not checked
 * @param queryTerms     how many analyzed terms the query has
 * @param denseScores    cosine similarity by chunk id, for the dense candidates
 * @param followUpUnknownTerms those of the unknown terms that the follow-up itself asks about, when the query is the
 *                       standalone rewrite of a follow-up ({@link RetrievalRequest#followUp()}); else empty. The
 *                       rewrite borrows the subject from earlier turns, whose passages then match well, so only this
 *                       says that "How much will AWS charge me for it?" adds something the documents do not know
 */
public record Evidence(double bestDense, List<String> unmatchedTerms, List<String> unknownTerms, int queryTerms,
                       Map<String, Double> denseScores, List<String> followUpUnknownTerms) {

    public Evidence {
        unmatchedTerms = List.copyOf(unmatchedTerms);
        unknownTerms = List.copyOf(unknownTerms);
        denseScores = Map.copyOf(denseScores);
        followUpUnknownTerms = List.copyOf(followUpUnknownTerms);
    }

    /** Evidence of a query that is not a rewritten follow-up. */
    public Evidence(double bestDense, List<String> unmatchedTerms, List<String> unknownTerms, int queryTerms,
                    Map<String, Double> denseScores) {
        this(bestDense, unmatchedTerms, unknownTerms, queryTerms, denseScores, List.of());
    }

    /** No candidates looked at (retrieval unavailable or not run). */
    public static final Evidence NONE = new Evidence(Double.NaN, List.of(), List.of(), 0, Map.of());

    /** This evidence for the rewrite of {@code followUp}: which of its unknown terms the follow-up itself names. */
    Evidence forFollowUp(String followUp) {
        if (followUp == null || unknownTerms.isEmpty()) {
            return this;
        }
        var own = QueryTerms.of(followUp);
        return new Evidence(bestDense, unmatchedTerms, unknownTerms, queryTerms, denseScores,
                unknownTerms.stream().filter(own::contains).toList());
    }

    /** Cosine similarity of a chunk to the query, when it was among the dense candidates; NaN otherwise. */
    public double dense(String chunkId) {
        return denseScores.getOrDefault(chunkId, Double.NaN);
    }

    /** The evidence without looking beyond the candidates: no term is known to be missing from the corpus. */
    static Evidence of(String query, List<ScoredChunk> dense, List<ScoredChunk> keyword) {
        return of(query, dense, keyword, word -> true);
    }

    /**
     * @param inCorpus whether a word of the query is known (an everyday word, or one some stored chunk contains);
     *                 asked only for the unmatched terms
     */
    static Evidence of(String query, List<ScoredChunk> dense, List<ScoredChunk> keyword, Predicate<String> inCorpus) {
        Map<String, String> unmatched = new LinkedHashMap<>(QueryTerms.withWords(query));
        int total = unmatched.size();
        Set<String> seen = new HashSet<>();
        for (List<ScoredChunk> list : List.of(dense, keyword)) {
            for (ScoredChunk c : list) {
                if (unmatched.isEmpty()) {
                    break;
                }
                if (seen.add(c.chunk().id())) {
                    unmatched.keySet().removeAll(QueryTerms.of(c.chunk().keywordText()));
                }
            }
        }
        List<String> unknown = new ArrayList<>();
        unmatched.forEach((term, word) -> {
            if (!inCorpus.test(word)) {
                unknown.add(term);
            }
        });
        Map<String, Double> scores = new HashMap<>();
        double best = dense.isEmpty() ? Double.NaN : Double.NEGATIVE_INFINITY;
        for (ScoredChunk c : dense) {
            scores.putIfAbsent(c.chunk().id(), c.score());
            best = Math.max(best, c.score());
        }
        return new Evidence(best, new ArrayList<>(unmatched.keySet()), unknown, total, scores);
    }
}
