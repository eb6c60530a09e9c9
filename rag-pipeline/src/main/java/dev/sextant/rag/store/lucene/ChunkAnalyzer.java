package dev.sextant.rag.store.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * EnglishAnalyzer's filter chain (lower case, English stop words, Porter stemming) on {@link
 * dev.sextant.rag.store.Bm25Scorer}'s tokenization (runs of letters or digits).
 *
 * <p>Why not EnglishAnalyzer as is: its StandardTokenizer follows UAX#29, which keeps {@code os.path.join},
 * {@code heapq.heappush} or {@code v1.2} as one token, so a query for {@code join} misses technical prose that the
 * exact store finds. Why not StandardAnalyzer: stemming ({@code reclaims} / {@code reclaim}) is what the usual
 * Lucene BM25 baselines (Anserini's BEIR runs) use, and it helps recall on English questions; stop words would get a
 * tiny idf anyway and only add clauses.
 */
public final class ChunkAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
        TokenStream stream = new LowerCaseFilter(source);
        stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
    }
}
