package dev.sextant.rag.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Okapi BM25 (k1 = 1.2, b = 0.75, Lucene's idf) computed by scanning the given texts: exact and dependency-free, for
 * stores small enough to scan. Terms are lower-cased runs of letters or digits.
 */
public final class Bm25Scorer {

    private static final Pattern TERM = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    private Bm25Scorer() {
    }

    public static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TERM.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** BM25 score of every text for the query, in input order (0 where no query term occurs). */
    public static double[] score(String query, List<String> texts) {
        Set<String> queryTerms = new LinkedHashSet<>(terms(query));
        int n = texts.size();
        double[] scores = new double[n];
        if (queryTerms.isEmpty() || n == 0) {
            return scores;
        }
        List<Map<String, Integer>> frequencies = new ArrayList<>(n);
        int[] lengths = new int[n];
        Map<String, Integer> documentFrequency = new HashMap<>();
        long totalLength = 0;
        for (int i = 0; i < n; i++) {
            List<String> docTerms = terms(texts.get(i));
            lengths[i] = docTerms.size();
            totalLength += docTerms.size();
            Map<String, Integer> tf = new HashMap<>();
            for (String t : docTerms) {
                if (queryTerms.contains(t)) {
                    tf.merge(t, 1, Integer::sum);
                }
            }
            tf.keySet().forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
            frequencies.add(tf);
        }
        double averageLength = Math.max(1.0, (double) totalLength / n);
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (Map.Entry<String, Integer> e : frequencies.get(i).entrySet()) {
                int df = documentFrequency.get(e.getKey());
                double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                double tf = e.getValue();
                sum += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[i] / averageLength));
            }
            scores[i] = sum;
        }
        return scores;
    }
}
