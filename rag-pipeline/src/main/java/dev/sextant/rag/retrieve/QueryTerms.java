package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.lucene.ChunkAnalyzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * The terms a text is made of for evidence checks: the keyword index's analysis ({@link ChunkAnalyzer}: runs of
 * letters or digits, lower-cased, without English stop words, Porter-stemmed), so {@code reclaims} in a question
 * matches {@code reclaim} in a passage, whichever store holds the passages.
 */
final class QueryTerms {

    private static final Analyzer ANALYZER = new ChunkAnalyzer();
    private QueryTerms() {
    }

    /** Distinct terms in order of first appearance. */
    static Set<String> of(String text) {
        return withWords(text).keySet();
    }

    /**
     * Distinct terms in order of first appearance, each with the word of the text it first came from: a store is
     * searched for the word, since analyzing a stem again need not give the same stem.
     */
    static Map<String, String> withWords(String text) {
        Map<String, String> terms = new LinkedHashMap<>();
        try (TokenStream stream = ANALYZER.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.putIfAbsent(term.toString(), text.substring(offset.startOffset(), offset.endOffset()));
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyze text", e);
        }
        return terms;
    }
}
