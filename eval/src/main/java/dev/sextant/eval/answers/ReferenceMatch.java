package dev.sextant.eval.answers;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An answer's text against a reference answer, as the SQuAD evaluation script scores it (exact match and token F1
 * over normalised text), so that figures are comparable with published ones.
 */
public final class ReferenceMatch {

    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{Punct}\\p{IsPunctuation}]");
    private static final Pattern ARTICLES = Pattern.compile("\\b(?:a|an|the)\\b");

    private ReferenceMatch() {
    }

    /**
     * The SQuAD evaluation script's {@code normalize_answer}: lower-case (root locale), remove punctuation (ASCII
     * punctuation as in SQuAD, plus Unicode punctuation so curly quotes and dashes behave like their ASCII forms;
     * removed, not replaced by a space, so "don't" becomes "dont"), remove the articles a/an/the as whole words,
     * and collapse whitespace to single spaces with none at either end.
     */
    public static String normalize(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        s = PUNCTUATION.matcher(s).replaceAll("");
        s = ARTICLES.matcher(s).replaceAll(" ");
        return Words.collapseWhitespace(s).strip();
    }

    /** Whether the {@linkplain #normalize normalised} answer equals the normalised reference. */
    public static boolean exactMatch(String answer, String reference) {
        return normalize(answer).equals(normalize(reference));
    }

    /**
     * SQuAD token F1: the normalised texts split on whitespace; {@code common} = size of the multiset intersection
     * of the two token bags; precision = common / answer tokens, recall = common / reference tokens, F1 their
     * harmonic mean; 0.0 when nothing is common. When either text has no token, 1.0 if both have none, else 0.0.
     */
    public static double tokenF1(String answer, String reference) {
        List<String> predicted = tokens(normalize(answer));
        List<String> gold = tokens(normalize(reference));
        if (predicted.isEmpty() || gold.isEmpty()) {
            return predicted.isEmpty() && gold.isEmpty() ? 1.0 : 0.0;
        }
        Map<String, Integer> bag = new HashMap<>();
        for (String t : gold) {
            bag.merge(t, 1, Integer::sum);
        }
        int common = 0;
        for (String t : predicted) {
            Integer left = bag.get(t);
            if (left != null && left > 0) {
                bag.put(t, left - 1);
                common++;
            }
        }
        if (common == 0) {
            return 0.0;
        }
        double precision = (double) common / predicted.size();
        double recall = (double) common / gold.size();
        return 2 * precision * recall / (precision + recall);
    }

    private static List<String> tokens(String normalized) {
        return normalized.isEmpty() ? List.of() : List.of(normalized.split(" "));
    }
}
