package dev.sextant.eval.answers;

import dev.sextant.embeddings.Vectors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Quality metrics of one generated answer: its citations against the gold sources, its text against a reference
 * answer (SQuAD exact match and token F1), whether it declines to answer, and how much of it the chunks it cited
 * support. Pure functions of their arguments; an embedding function, where one is taken, is the only outside call.
 */
public final class AnswerMetrics {

    /** A sentence is supported by a chunk holding at least this share of the sentence's content words. */
    public static final double OVERLAP_THRESHOLD = 0.6;
    /** With an embedder: a sentence at least this cosine-similar to a chunk ... */
    public static final double COSINE_THRESHOLD = 0.75;
    /** ... is supported by it if the chunk also holds at least this share of the sentence's content words. */
    public static final double COSINE_MIN_OVERLAP = 0.3;
    /** Sentences with fewer words (after citation markers are removed) are not judged. */
    public static final int MIN_SENTENCE_WORDS = 3;

    /**
     * The phrases {@link #isRefusal} looks for, as case-insensitive regular expressions over the answer with curly
     * apostrophes straightened and whitespace collapsed. In words: "I/we (really) don't know"; "cannot / can't /
     * unable to / not able to answer", "cannot be answered"; "could not / did not find the answer / information";
     * "I don't have (enough) information", "there is / I have no information", "not enough / insufficient
     * information", "no information about this"; "the (provided) context / documents / sources / passages do(es)
     * not contain / mention / say / specify / cover / ..."; "the context / documents contain(s) / provide(s) no
     * information"; "not (mentioned) in the (provided) context / documents". Each is a first-person admission or
     * a statement about the context, never a bare "don't" or "not", so "I know that you don't need ..." and "The
     * documents do not need re-indexing" are no refusals.
     */
    public static final List<String> REFUSAL_PATTERNS = List.of(
            // I don't know / we do not know / I really don't know
            "\\b(?:i|we)(?: really| simply)? (?:do not|don't|dont) know\\b",
            // cannot answer / can't answer / unable to answer / not able to answer / cannot be answered
            "\\b(?:cannot|can not|can't|unable to|not able to) (?:fully |confidently |reliably )?answer\\b",
            "\\bcannot be answered\\b",
            // I could not find the answer / any information
            "\\b(?:could not|couldn't|cannot|can't|unable to|did not|didn't) find (?:the |an |any )?"
                    + "(?:answer|information|mention)\\b",
            // I don't have enough information / there is no information / not enough information
            "\\b(?:i|we) (?:do not|don't|dont) have (?:enough |sufficient |any |the |that )?(?:relevant )?"
                    + "information\\b",
            "\\b(?:there is|there's|i have|i found|i could find|i can find|we have) no (?:relevant |specific |such )?"
                    + "information\\b",
            "\\b(?:not enough|insufficient) information\\b",
            "\\bno (?:mention|information) (?:of|about|on|regarding) (?:this|that|it)\\b",
            // the (provided) context / the documents do not mention ... ; the context has no information
            "\\bthe (?:provided |given |supplied |available |retrieved )?(?:context|documents?|sources?|passages?|"
                    + "excerpts?|texts?) (?:does not|do not|doesn't|don't|did not|didn't) (?:seem to |appear to )?"
                    + "(?:contain|provide|mention|include|say|specify|state|describe|cover|explain|give|discuss|"
                    + "address|offer|indicate|answer|have|tell|detail|define|list)\\b",
            "\\b(?:context|documents?|sources?|passages?|excerpts?) (?:contains?|provides?|gives?|has|have) no "
                    + "(?:relevant |specific |such |direct )?(?:information|mention|details?|answer)\\b",
            // (is) not (mentioned) in the context / documents
            "\\bnot (?:\\w+ )?(?:in|within|from) the (?:provided |given |supplied |available |retrieved )?"
                    + "(?:context|documents|sources|passages|excerpts)\\b");

    private static final List<Pattern> REFUSALS = REFUSAL_PATTERNS.stream()
            .map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)).toList();

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

    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{Punct}\\p{IsPunctuation}]");
    private static final Pattern ARTICLES = Pattern.compile("\\b(?:a|an|the)\\b");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern CITATION_MARKER =
            Pattern.compile("\\s*\\[\\s*\\d+(?:\\s*[,;\\-\u2013]\\s*\\d+)*\\s*]");
    private static final Pattern SENTENCE_END =
            Pattern.compile("(?<=[.!?][\"')\\]]{0,3})\\s+(?=[\"'(\\[]*[\\p{Lu}\\d])");
    private static final Pattern LINE_BREAK = Pattern.compile("\\R+");
    private static final Pattern BULLET = Pattern.compile("^\\s*(?:[-*\u2022]|\\d+[.)])\\s+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['\u2019][\\p{L}]+)?");
    private static final Pattern WORD_SPLIT = Pattern.compile("[^\\p{L}\\p{N}]+");

    private AnswerMetrics() {
    }

    // ---------------------------------------------------------------- citations

    /**
     * Citation precision: {@code |distinct cited ∩ gold| / |distinct cited|}. Undefined (empty) when nothing is
     * cited: an answer that cites nothing is not imprecise, it is uncited, which {@link #citationRecall} penalises.
     * With an empty gold set every citation is wrong (0.0).
     */
    public static OptionalDouble citationPrecision(Collection<String> cited, Collection<String> gold) {
        Set<String> citedSet = new LinkedHashSet<>(cited);
        if (citedSet.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) intersection(citedSet, gold) / citedSet.size());
    }

    /**
     * Citation recall: {@code |distinct cited ∩ gold| / |distinct gold|}; 0.0 when nothing is cited.
     *
     * @throws IllegalArgumentException with no gold source (an unanswerable question has no citation recall)
     */
    public static double citationRecall(Collection<String> cited, Collection<String> gold) {
        Set<String> goldSet = new HashSet<>(gold);
        if (goldSet.isEmpty()) {
            throw new IllegalArgumentException("citation recall needs at least one gold source");
        }
        return (double) intersection(new HashSet<>(cited), goldSet) / goldSet.size();
    }

    private static int intersection(Set<String> cited, Collection<String> gold) {
        Set<String> goldSet = new HashSet<>(gold);
        int n = 0;
        for (String c : cited) {
            if (goldSet.contains(c)) {
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- reference answers (SQuAD)

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
        return WHITESPACE.matcher(s).replaceAll(" ").strip();
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

    // ---------------------------------------------------------------- refusals

    /**
     * Whether the answer declines to answer: any of {@link #REFUSAL_PATTERNS} occurs anywhere in it (case-insensitive,
     * curly apostrophes read as straight ones). An answer that answers and then adds "the documents do not say
     * ..." as a caveat counts as a refusal too; a blank answer does not.
     */
    public static boolean isRefusal(String answer) {
        String text = WHITESPACE.matcher(answer.replace('\u2019', '\'')).replaceAll(" ");
        return REFUSALS.stream().anyMatch(p -> p.matcher(text).find());
    }

    // ---------------------------------------------------------------- groundedness

    /**
     * How one judged sentence fared against the cited chunks.
     *
     * @param sentence  the sentence, citation markers removed
     * @param overlap   the best content-word overlap over the chunks (0 with no chunk)
     * @param cosine    the best cosine similarity over the chunks, NaN without an embedder or chunk
     * @param supported whether some chunk supports it
     */
    public record SentenceSupport(String sentence, double overlap, double cosine, boolean supported) {
    }

    /**
     * @param score     supported / judged sentences, or the fallback when none is judged (see {@link #groundedness})
     * @param sentences the judged sentences, in answer order
     */
    public record Groundedness(double score, List<SentenceSupport> sentences) {

        public Groundedness {
            sentences = List.copyOf(sentences);
        }

        public long supported() {
            return sentences.stream().filter(SentenceSupport::supported).count();
        }
    }

    /** {@link #groundedness(String, List, Function)} without an embedder: content-word overlap only. */
    public static Groundedness groundedness(String answer, List<String> citedChunks) {
        return groundedness(answer, citedChunks, null);
    }

    /**
     * Share of the answer's sentences that the chunks it cited support.
     * <ol>
     * <li>The answer is {@linkplain #sentences split into sentences}; a sentence is judged when it has at least
     * {@value #MIN_SENTENCE_WORDS} words, at least one content word, and is not itself a {@linkplain #isRefusal
     * refusal} ("The context does not say." claims nothing a chunk could support).</li>
     * <li>The <em>content-word overlap</em> of a sentence with a chunk is the share of the sentence's distinct
     * content words (lower-cased words that are not {@link #STOPWORDS}) that occur among the chunk's words.</li>
     * <li>A sentence is supported when, for at least one chunk (the best cited chunk), the overlap is
     * &ge; {@value #OVERLAP_THRESHOLD}, or, with an embedder, cosine(sentence, chunk) &ge;
     * {@value #COSINE_THRESHOLD} <em>and</em> the overlap is &ge; {@value #COSINE_MIN_OVERLAP}.</li>
     * <li>Score = supported / judged sentences. With no judged sentence: 1.0 if the answer {@linkplain #isRefusal
     * is a refusal} (claiming nothing is fully grounded), else 0.0 (an empty or content-free answer earns nothing).
     * With no cited chunk, every judged sentence is unsupported.</li>
     * </ol>
     * Why two signals: an embedding alone rates an on-topic but unsupported claim ("VACUUM FULL never locks the
     * table" against a chunk about VACUUM FULL) as similar, since it measures topic more than entailment; so the
     * cosine route still requires some lexical support. Word overlap alone misses paraphrase ("removes dead rows"
     * against "reclaims storage occupied by dead tuples"), which the cosine route with a lower overlap bar admits.
     *
     * @param embedder embeds a batch of texts (one vector per text, same order), or null for overlap only; called
     *                 once, with the judged sentences followed by the chunks
     */
    public static Groundedness groundedness(String answer, List<String> citedChunks,
                                            Function<List<String>, List<float[]>> embedder) {
        List<String> judged = new ArrayList<>();
        List<Set<String>> judgedWords = new ArrayList<>();
        for (String sentence : sentences(answer)) {
            Set<String> content = contentWords(sentence);
            if (wordCount(sentence) >= MIN_SENTENCE_WORDS && !content.isEmpty() && !isRefusal(sentence)) {
                judged.add(sentence);
                judgedWords.add(content);
            }
        }
        if (judged.isEmpty()) {
            return new Groundedness(isRefusal(answer) ? 1.0 : 0.0, List.of());
        }
        List<Set<String>> chunkWords = citedChunks.stream().map(AnswerMetrics::words).toList();
        List<float[]> vectors = null;
        if (embedder != null && !citedChunks.isEmpty()) {
            List<String> texts = new ArrayList<>(judged);
            texts.addAll(citedChunks);
            vectors = embedder.apply(texts);
            if (vectors.size() != texts.size()) {
                throw new IllegalStateException("the embedder returned " + vectors.size() + " vectors for "
                        + texts.size() + " texts");
            }
        }
        List<SentenceSupport> out = new ArrayList<>();
        int supported = 0;
        for (int s = 0; s < judged.size(); s++) {
            double bestOverlap = 0;
            double bestCosine = Double.NaN;
            boolean ok = false;
            for (int c = 0; c < chunkWords.size(); c++) {
                double overlap = overlap(judgedWords.get(s), chunkWords.get(c));
                double cosine = vectors == null ? Double.NaN
                        : Vectors.cosine(vectors.get(s), vectors.get(judged.size() + c));
                bestOverlap = Math.max(bestOverlap, overlap);
                bestCosine = Double.isNaN(bestCosine) ? cosine : Math.max(bestCosine, cosine);
                ok |= overlap >= OVERLAP_THRESHOLD
                        || (!Double.isNaN(cosine) && cosine >= COSINE_THRESHOLD && overlap >= COSINE_MIN_OVERLAP);
            }
            if (ok) {
                supported++;
            }
            out.add(new SentenceSupport(judged.get(s), bestOverlap, bestCosine, ok));
        }
        return new Groundedness((double) supported / judged.size(), out);
    }

    /**
     * Rule-based sentence splitter: citation markers ({@code [1]}, {@code [1, 2]}, {@code [1-3]}) are removed; the
     * text is cut at line breaks (list bullets and numbers at a line start are dropped) and after {@code .}, {@code !}
     * or {@code ?} (and any closing quote or bracket) followed by whitespace and an upper-case letter, a digit, or an
     * opening quote/bracket before one; so "e.g. the" and "3.5" do not split. Blank pieces are dropped.
     */
    public static List<String> sentences(String text) {
        String clean = CITATION_MARKER.matcher(text).replaceAll("");
        List<String> out = new ArrayList<>();
        for (String line : LINE_BREAK.split(clean)) {
            String body = BULLET.matcher(line).replaceFirst("");
            for (String piece : SENTENCE_END.split(body)) {
                String sentence = WHITESPACE.matcher(piece).replaceAll(" ").strip();
                if (!sentence.isEmpty()) {
                    out.add(sentence);
                }
            }
        }
        return out;
    }

    /** Content-word overlap: share of {@code sentence}'s distinct non-stopwords found in {@code chunk}. */
    public static double contentOverlap(String sentence, String chunk) {
        Set<String> content = contentWords(sentence);
        return content.isEmpty() ? 0.0 : overlap(content, words(chunk));
    }

    private static double overlap(Set<String> content, Set<String> chunk) {
        long found = content.stream().filter(chunk::contains).count();
        return (double) found / content.size();
    }

    private static int wordCount(String sentence) {
        return (int) WORD.matcher(sentence).results().count();
    }

    private static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : WORD_SPLIT.split(text.toLowerCase(Locale.ROOT).replace("'", "").replace("\u2019", ""))) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static Set<String> contentWords(String sentence) {
        Set<String> out = new LinkedHashSet<>(words(sentence));
        out.removeAll(STOPWORDS);
        return out;
    }
}
