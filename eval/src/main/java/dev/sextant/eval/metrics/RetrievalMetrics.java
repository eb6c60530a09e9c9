package dev.sextant.eval.metrics;

import java.util.List;
import java.util.Set;

/**
 * Ranking metrics for one query: the ranked sources a retriever returned against the set of gold (relevant)
 * sources. Duplicates in the ranking count once, at their best rank, as several chunks of one page are one hit.
 */
public final class RetrievalMetrics {

    private RetrievalMetrics() {
    }

    /** Share of gold sources found in the first {@code k} distinct results. */
    public static double recallAtK(List<String> ranked, Set<String> gold, int k) {
        requireGold(gold);
        List<String> distinct = distinct(ranked);
        long found = distinct.stream().limit(k).filter(gold::contains).count();
        return (double) found / gold.size();
    }

    /** 1 / rank of the first gold source within the first {@code k} distinct results, else 0. */
    public static double reciprocalRankAtK(List<String> ranked, Set<String> gold, int k) {
        requireGold(gold);
        List<String> distinct = distinct(ranked);
        for (int i = 0; i < Math.min(k, distinct.size()); i++) {
            if (gold.contains(distinct.get(i))) {
                return 1.0 / (i + 1);
            }
        }
        return 0.0;
    }

    /** Binary-relevance nDCG over the first {@code k} distinct results. */
    public static double ndcgAtK(List<String> ranked, Set<String> gold, int k) {
        requireGold(gold);
        List<String> distinct = distinct(ranked);
        double dcg = 0;
        for (int i = 0; i < Math.min(k, distinct.size()); i++) {
            if (gold.contains(distinct.get(i))) {
                dcg += 1.0 / log2(i + 2);
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, gold.size()); i++) {
            ideal += 1.0 / log2(i + 2);
        }
        return dcg / ideal;
    }

    private static List<String> distinct(List<String> ranked) {
        return ranked.stream().distinct().toList();
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }

    private static void requireGold(Set<String> gold) {
        if (gold.isEmpty()) {
            throw new IllegalArgumentException("a query needs at least one gold source to be scored");
        }
    }
}
