package dev.sextant.eval.answers;

import dev.sextant.embeddings.Vectors;
import dev.sextant.eval.answers.Groundedness.SentenceSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Groundedness of an answer: the share of its sentences that the chunks it cited support, by content-word overlap
 * and, given an embedder, cosine similarity. A pure function of its arguments; the embedder is the only outside call.
 */
public final class GroundednessMetric {

    /** A sentence is supported by a chunk holding at least this share of the sentence's content words. */
    public static final double OVERLAP_THRESHOLD = 0.6;
    /** With an embedder: a sentence at least this cosine-similar to a chunk ... */
    public static final double COSINE_THRESHOLD = 0.75;
    /** ... is supported by it if the chunk also holds at least this share of the sentence's content words. */
    public static final double COSINE_MIN_OVERLAP = 0.3;
    /** Sentences with fewer words (after citation markers are removed) are not judged. */
    public static final int MIN_SENTENCE_WORDS = 3;

    private static final Pattern CITATION_MARKER =
            Pattern.compile("\\s*\\[\\s*\\d+(?:\\s*[,;\\-\u2013]\\s*\\d+)*\\s*]");
    private static final Pattern SENTENCE_END =
            Pattern.compile("(?<=[.!?][\"')\\]]{0,3})\\s+(?=[\"'(\\[]*[\\p{Lu}\\d])");
    private static final Pattern LINE_BREAK = Pattern.compile("\\R+");
    private static final Pattern BULLET = Pattern.compile("^\\s*(?:[-*\u2022]|\\d+[.)])\\s+");

    private GroundednessMetric() {
    }

    /** {@link #groundedness(String, List, Function)} without an embedder: content-word overlap only. */
    public static Groundedness groundedness(String answer, List<String> citedChunks) {
        return groundedness(answer, citedChunks, null);
    }

    /**
     * Share of the answer's sentences that the chunks it cited support.
     * <ol>
     * <li>The answer is {@linkplain #sentences split into sentences}; a sentence is judged when it has at least
     * {@value #MIN_SENTENCE_WORDS} words, at least one content word, and is not itself a
     * {@linkplain RefusalDetector#isRefusal refusal} ("The context does not say." claims nothing a chunk could
     * support).</li>
     * <li>The <em>content-word overlap</em> of a sentence with a chunk is the share of the sentence's distinct
     * content words (lower-cased words that are not {@link Words#STOPWORDS}) that occur among the chunk's words.</li>
     * <li>A sentence is supported when, for at least one chunk (the best cited chunk), the overlap is
     * &ge; {@value #OVERLAP_THRESHOLD}, or, with an embedder, cosine(sentence, chunk) &ge;
     * {@value #COSINE_THRESHOLD} <em>and</em> the overlap is &ge; {@value #COSINE_MIN_OVERLAP}.</li>
     * <li>Score = supported / judged sentences. With no judged sentence: 1.0 if the answer
     * {@linkplain RefusalDetector#isRefusal is a refusal} (claiming nothing is fully grounded), else 0.0 (an empty
     * or content-free answer earns nothing).
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
            Set<String> content = Words.contentWords(sentence);
            if (Words.wordCount(sentence) >= MIN_SENTENCE_WORDS && !content.isEmpty()
                    && !RefusalDetector.isRefusal(sentence)) {
                judged.add(sentence);
                judgedWords.add(content);
            }
        }
        if (judged.isEmpty()) {
            return new Groundedness(RefusalDetector.isRefusal(answer) ? 1.0 : 0.0, List.of());
        }
        List<Set<String>> chunkWords = citedChunks.stream().map(Words::words).toList();
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
                String sentence = Words.collapseWhitespace(piece).strip();
                if (!sentence.isEmpty()) {
                    out.add(sentence);
                }
            }
        }
        return out;
    }

    /** Content-word overlap: share of {@code sentence}'s distinct non-stopwords found in {@code chunk}. */
    public static double contentOverlap(String sentence, String chunk) {
        Set<String> content = Words.contentWords(sentence);
        return content.isEmpty() ? 0.0 : overlap(content, Words.words(chunk));
    }

    private static double overlap(Set<String> content, Set<String> chunk) {
        long found = content.stream().filter(chunk::contains).count();
        return (double) found / content.size();
    }
}
