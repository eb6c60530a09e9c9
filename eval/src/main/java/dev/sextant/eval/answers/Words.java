package dev.sextant.eval.answers;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The word-level reading of answer text that the answer metrics share: whitespace collapsing, word splitting,
 * word counting and content words (words that are not {@link #STOPWORDS}).
 */
public final class Words {

    /** English function words left out of content-word overlap. */
    public static final Set<String> STOPWORDS = Set.of(
            "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as",
            "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
            "could", "did", "do", "does", "doing", "down", "during", "each", "either", "else", "etc", "few", "for",
            "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him",
            "himself", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may",
            "me", "might", "more", "most", "must", "my", "myself", "no", "nor", "not", "of", "off", "on", "once",
            "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "shall", "she",
            "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
            "there", "these", "they", "this", "those", "through", "thus", "to", "too", "under", "until", "up",
            "upon", "us", "very", "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who",
            "whom", "whose", "why", "will", "with", "would", "yet", "you", "your", "yours", "yourself",
            "yourselves",
            // contractions, apostrophe removed as words() does
            "arent", "cant", "couldnt", "didnt", "doesnt", "dont", "hasnt", "havent", "isnt", "shouldnt", "thats",
            "theres", "theyre", "wasnt", "werent", "wont", "wouldnt", "youre");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['\u2019][\\p{L}]+)?");
    private static final Pattern WORD_SPLIT = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Words() {
    }

    /** Every run of whitespace replaced by one space; the ends are left as they are (callers strip if they mean to). */
    static String collapseWhitespace(String text) {
        return WHITESPACE.matcher(text).replaceAll(" ");
    }

    /** Number of words, a contraction ("don't", curly apostrophe too) counting as one. */
    static int wordCount(String text) {
        return (int) WORD.matcher(text).results().count();
    }

    /**
     * The distinct lower-cased (root locale) words: apostrophes are removed first, so "don't" is "dont" and matches
     * the contractions in {@link #STOPWORDS}; anything else that is not a letter or digit separates words.
     */
    static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : WORD_SPLIT.split(text.toLowerCase(Locale.ROOT).replace("'", "").replace("\u2019", ""))) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** The {@linkplain #words words} that are not {@link #STOPWORDS}. */
    static Set<String> contentWords(String text) {
        Set<String> out = new LinkedHashSet<>(words(text));
        out.removeAll(STOPWORDS);
        return out;
    }
}
