package dev.sextant.rag.store.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Builds the keyword query for any user text under a {@link KeywordScoring}. The text goes through the index
 * analyzers and every distinct term becomes optional clauses, so characters QueryParser treats as syntax
 * ({@code AND (}, {@code "}, {@code field:}) are plain separators here and can never fail to parse.
 */
final class KeywordQueries {

    /**
     * Two or more adjacent words in capitals (digits and {@code _} allowed after the first letter): how questions
     * quote SQL keywords and commands ({@code VACUUM FULL}, {@code ORDER BY}, {@code INSERT OR REPLACE}).
     */
    private static final Pattern UPPER_CASE_RUN =
            Pattern.compile("\\b[A-Z][A-Z0-9_]+(?:[ \\t]+[A-Z][A-Z0-9_]+)+\\b");

    private KeywordQueries() {
    }

    /** @return {@code null} when no term survives analysis */
    static Query build(KeywordScoring scoring, Analyzer analyzer, String tenant, String text) {
        // Each body term can bring a title and a heading clause; leave room for them and the tenant clause under
        // the global clause limit (a longer query is not a search query).
        int maxTerms = (IndexSearcher.getMaxClauseCount() - 1) / 4;
        Set<String> terms = new LinkedHashSet<>(terms(analyzer, ChunkDocuments.BODY, text, maxTerms));
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String t : terms) {
            query.add(new TermQuery(new Term(ChunkDocuments.BODY, t)), Occur.SHOULD);
            add(query, ChunkDocuments.TITLE, t, scoring.title());
            add(query, ChunkDocuments.HEADING, t, scoring.heading());
        }
        if (scoring.identifier() > 0) {
            for (String id : new LinkedHashSet<>(terms(analyzer, ChunkDocuments.IDENTIFIER, text, maxTerms))) {
                add(query, ChunkDocuments.IDENTIFIER, id, scoring.identifier());
            }
        }
        if (scoring.phrase() > 0) {
            for (Query phrase : upperCasePhrases(analyzer, text, maxTerms)) {
                query.add(new BoostQuery(phrase, scoring.phrase()), Occur.SHOULD);
            }
        }
        query.add(ChunkDocuments.tenant(tenant), Occur.FILTER);
        // With a FILTER clause present, SHOULD clauses become optional: require at least one query term.
        query.setMinimumNumberShouldMatch(1);
        return query.build();
    }

    private static void add(BooleanQuery.Builder query, String field, String term, float weight) {
        if (weight > 0) {
            query.add(new BoostQuery(new TermQuery(new Term(field, term)), weight), Occur.SHOULD);
        }
    }

    /** Body phrase queries for the upper-case runs that keep two or more terms after analysis. */
    static List<Query> upperCasePhrases(Analyzer analyzer, String text, int max) {
        List<Query> out = new ArrayList<>();
        Matcher m = UPPER_CASE_RUN.matcher(text);
        while (m.find() && out.size() < max) {
            PhraseQuery.Builder phrase = new PhraseQuery.Builder();
            int terms = 0;
            try (TokenStream stream = analyzer.tokenStream(ChunkDocuments.BODY, m.group())) {
                CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
                PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
                stream.reset();
                // Positions as the index has them: a stop word ("ORDER BY x") leaves a gap, not a shift.
                int position = -1;
                while (stream.incrementToken()) {
                    position += increment.getPositionIncrement();
                    phrase.add(new Term(ChunkDocuments.BODY, term.toString()), position);
                    terms++;
                }
                stream.end();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot analyze query text", e);
            }
            if (terms >= 2) {
                out.add(phrase.build());
            }
        }
        return out;
    }

    static List<String> terms(Analyzer analyzer, String field, String text, int max) {
        List<String> out = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && out.size() < max) {
                out.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyze query text", e);
        }
        return out;
    }
}
