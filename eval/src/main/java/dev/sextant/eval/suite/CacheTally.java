package dev.sextant.eval.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts of the cache pairs, turned into the suite's cache summary. A pair whose first question the answerability
 * gate refused (or flagged not covered) counts in neither rate: the stack caches no such answer, by design, so its
 * second question had nothing to hit; it would otherwise read as a lost hit on every off-corpus pair.
 */
final class CacheTally {

    private final List<SuiteResult.PairResult> pairs = new ArrayList<>();
    private int paraphrases;
    private int others;
    private int hits;
    private int falseHits;
    private int refused;

    /**
     * @param firstRefused the first question's answer came with {@code "answerable": false}
     * @param hit          the second question was answered from the cache
     */
    void add(CachePair pair, boolean firstRefused, boolean hit) {
        pairs.add(new SuiteResult.PairResult(pair.first(), pair.second(), pair.paraphrase(), hit, firstRefused));
        if (firstRefused) {
            refused++;
        } else if (pair.paraphrase()) {
            paraphrases++;
            hits += hit ? 1 : 0;
        } else {
            others++;
            falseHits += hit ? 1 : 0;
        }
    }

    SuiteResult.CacheSummary summary() {
        return new SuiteResult.CacheSummary(paraphrases, others,
                paraphrases == 0 ? Double.NaN : (double) hits / paraphrases,
                others == 0 ? Double.NaN : (double) falseHits / others, refused, List.copyOf(pairs));
    }
}
