package dev.sextant.rag.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a message leans on what came before, from the shape of English alone (no word list of any corpus): it
 * opens with a connective ("and", "then", "what about"), refers back ("that", "it", "those", "the full one",
 * "instead"), or names almost nothing itself (at most {@link #FEW_CONTENT_WORDS} words that are not function words:
 * "And from C code?"). A standalone question usually names its subject; a follow-up usually does one of these.
 */
public final class FollowUpSignals {

    /** A message with this many content words or fewer cannot name its subject. */
    public static final int FEW_CONTENT_WORDS = 2;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}_'’.-]*");

    /** Words a follow-up opens with: it continues the previous question. */
    private static final Set<String> OPENERS = Set.of("and", "but", "so", "then", "also", "or", "plus", "now", "ok",
            "okay", "besides", "otherwise", "instead", "same", "what about", "how about", "what if", "and if",
            "in that case", "if so", "if not");

    /** Words that point back at something named earlier. */
    private static final Set<String> REFERRING = Set.of("it", "its", "itself", "that", "this", "these", "those",
            "they", "them", "their", "theirs", "themselves", "one", "ones", "same", "such", "instead", "either",
            "too", "again", "else", "former", "latter", "above", "previous", "earlier", "there");

    /**
     * English function words (articles, pronouns, auxiliaries, question words, prepositions, conjunctions, common
     * verbs of asking): what is left of a message without them is what it names.
     */
    private static final Set<String> FUNCTION_WORDS = Set.of(
            "a", "an", "the", "and", "or", "but", "so", "then", "if", "of", "in", "on", "at", "to", "for", "from",
            "by", "with", "without", "into", "onto", "about", "as", "than", "over", "under", "after", "before",
            "between", "through", "via", "per", "up", "down", "out", "off", "again", "i", "me", "my", "mine", "we",
            "us", "our", "you", "your", "he", "she", "him", "her", "it", "its", "they", "them", "their", "this",
            "that", "these", "those", "there", "here", "one", "ones", "what", "which", "who", "whom", "whose",
            "when", "where", "why", "how", "whether", "is", "are", "was", "were", "be", "been", "being", "am", "do",
            "does", "did", "done", "doing", "have", "has", "had", "can", "could", "will", "would", "shall", "should",
            "may", "might", "must", "not", "no", "yes", "any", "some", "all", "each", "every", "both", "either",
            "neither", "much", "many", "more", "most", "less", "least", "other", "another", "same", "such", "just",
            "only", "also", "too", "very", "still", "even", "now", "ok", "okay", "instead", "else", "way", "thing",
            "things", "something", "anything", "get", "got", "make", "use", "need", "want", "like", "know", "tell",
            "happen", "happens", "work", "works", "go", "see", "let", "lets", "possible", "able", "really",
            "actually", "s", "t", "around", "while", "well", "there's", "it's", "that's", "what's", "don't",
            "doesn't", "can't", "isn't", "i'm", "i've", "i'd", "won't");

    private FollowUpSignals() {
    }

    /**
     * What a message shows.
     *
     * @param opener       the connective it opens with, or null
     * @param referring    the words in it that point back, in order
     * @param contentWords its words that are not function words, lower-cased, in order
     */
    public record Signals(String opener, List<String> referring, List<String> contentWords) {

        /** Whether the message reads as a follow-up rather than a question of its own. */
        public boolean followUp() {
            return opener != null || !referring.isEmpty() || contentWords.size() <= FEW_CONTENT_WORDS;
        }
    }

    public static Signals of(String message) {
        List<String> words = words(message);
        String opener = null;
        for (int n = Math.min(3, words.size()); n >= 1 && opener == null; n--) {
            String start = String.join(" ", words.subList(0, n));
            if (OPENERS.contains(start)) {
                opener = start;
            }
        }
        List<String> referring = new ArrayList<>();
        List<String> content = new ArrayList<>();
        for (String w : words) {
            if (REFERRING.contains(w)) {
                referring.add(w);
            }
            if (!FUNCTION_WORDS.contains(w)) {
                content.add(w);
            }
        }
        return new Signals(opener, referring, content);
    }

    /** Lower-cased words; curly apostrophes straightened, trailing dots (end of a sentence) dropped. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.replace('’', '\''));
        while (m.find()) {
            String w = m.group().toLowerCase(Locale.ROOT);
            while (w.endsWith(".") || w.endsWith("'") || w.endsWith("-")) {
                w = w.substring(0, w.length() - 1);
            }
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
