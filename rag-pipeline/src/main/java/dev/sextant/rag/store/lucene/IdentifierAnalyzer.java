package dev.sextant.rag.store.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.FilteringTokenFilter;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * Whole code identifiers as single terms: {@code sqlite3_busy_timeout}, {@code heapq.heapify},
 * {@code pg_stat_activity}, {@code os.path.join}. {@link ChunkAnalyzer} splits these into their parts (so a query
 * for {@code timeout} finds them), which also makes every page that mentions {@code busy} and {@code timeout} apart
 * an equal match for the whole name; this field lets a query that names the identifier prefer the chunks that name
 * it exactly.
 *
 * <p>A token is a run of letters, digits, {@code _} and {@code .}, with leading and trailing dots and underscores cut
 * (a sentence's full stop), lower-cased, and kept only when a {@code _} or {@code .} is left inside it: plain words
 * are {@link ChunkAnalyzer}'s business. No stemming: identifiers are matched exactly.
 */
public final class IdentifierAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = CharTokenizer.fromTokenCharPredicate(
                c -> Character.isLetterOrDigit(c) || c == '_' || c == '.');
        TokenStream stream = new TrimSeparators(source);
        stream = new CompoundOnly(stream);
        stream = new LowerCaseFilter(stream);
        return new TokenStreamComponents(source, stream);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
    }

    static boolean isSeparator(char c) {
        return c == '_' || c == '.';
    }

    /** Cuts separators off both ends of a token, in place. */
    private static final class TrimSeparators extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

        TrimSeparators(TokenStream in) {
            super(in);
        }

        @Override
        public boolean incrementToken() throws java.io.IOException {
            if (!input.incrementToken()) {
                return false;
            }
            char[] buffer = term.buffer();
            int start = 0;
            int end = term.length();
            while (start < end && isSeparator(buffer[start])) {
                start++;
            }
            while (end > start && isSeparator(buffer[end - 1])) {
                end--;
            }
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
            }
            term.setLength(end - start);
            return true;
        }
    }

    /** Drops tokens without a separator inside: words, numbers, and what trimming left empty. */
    private static final class CompoundOnly extends FilteringTokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

        CompoundOnly(TokenStream in) {
            super(in);
        }

        @Override
        protected boolean accept() {
            for (int i = 0; i < term.length(); i++) {
                if (isSeparator(term.charAt(i))) {
                    // A version or a decimal ("3.5", "1.2.3") names no identifier: require a letter.
                    for (int j = 0; j < term.length(); j++) {
                        if (Character.isLetter(term.charAt(j))) {
                            return true;
                        }
                    }
                    return false;
                }
            }
            return false;
        }
    }
}
