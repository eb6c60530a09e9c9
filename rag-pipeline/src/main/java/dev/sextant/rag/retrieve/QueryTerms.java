package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.lucene.ChunkAnalyzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

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
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = ANALYZER.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyze text", e);
        }
        return terms;
    }
}
