package dev.sextant.rag.chunk;

import dev.sextant.rag.document.Document;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Splits each section on the coarsest separator that yields pieces under the size limit (paragraphs, then lines,
 * then sentences, then words, then hard cuts inside a word), then packs neighbouring pieces greedily into chunks of at
 * most {@link ChunkLimits#maxTokens()} tokens, each starting with a word-aligned overlap of at most
 * {@link ChunkLimits#overlapTokens()} tokens from the end of the previous one. Never crosses a section (heading)
 * boundary, so every chunk has one heading path.
 *
 * <p>Sizes come from a {@link TokenCounter}: every piece is counted once and chunk sizes are sums of piece counts;
 * each finished chunk is counted once more and given back pieces while the sum underestimated it. A chunk's text is
 * always a verbatim, whitespace-trimmed slice of its section, located by {@link Chunk#start()} and {@link Chunk#end()}
 * in {@link Document#text()}.
 *
 * <p>Each chunk carries the line the embedder reads before its text ({@link Chunk#embeddingPrefix()}, by
 * {@link ChunkLimits#headingPrefix()}). With a model window ({@link ChunkLimits#modelTokens()}) the line is counted
 * once per section and the section's chunks get {@link ChunkLimits#textTokens(int)} tokens of text, so that no
 * embedding input is truncated by the encoder. A line longer than {@link ChunkLimits#maxPrefixTokens()} is shortened:
 * the headings between the title and the innermost one are left out, outermost first, then words are cut from its
 * end. The sum assumes the counter is additive across the newline between line and text, as tokenizers that split on
 * whitespace first (WordPiece, BPE) are.
 */
public final class RecursiveSplitter implements DocumentSplitter {

    private static final String[] SEPARATORS = {"\n\n", "\n", ". ", " "};

    private final ChunkLimits limits;
    private final TokenCounter counter;

    public RecursiveSplitter(ChunkLimits limits, TokenCounter counter) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    /**
     * Sizes in characters ({@link TokenCounter#characters()}), with the original bounds: {@code maxChars >= 50} and
     * {@code 0 <= overlapChars < maxChars / 2}. Prefer {@link #RecursiveSplitter(ChunkLimits, TokenCounter)} with the
     * embedder's tokenizer.
     */
    public RecursiveSplitter(int maxChars, int overlapChars) {
        this(characterLimits(maxChars, overlapChars), TokenCounter.characters());
    }

    private static ChunkLimits characterLimits(int maxChars, int overlapChars) {
        if (maxChars < 50) {
            throw new IllegalArgumentException("maxChars must be at least 50, got " + maxChars);
        }
        if (overlapChars < 0 || overlapChars >= maxChars / 2) {
            throw new IllegalArgumentException("overlapChars must be in [0, maxChars/2), got " + overlapChars);
        }
        return new ChunkLimits(maxChars, overlapChars);
    }

    public ChunkLimits limits() {
        return limits;
    }

    /** A slice {@code [start, end)} of a section's text and its token count. */
    private record Piece(int start, int end, int tokens) {
    }

    @Override
    public List<Chunk> split(SplitRequest request) {
        Document doc = request.document();
        String documentHash = doc.contentHash();
        List<Chunk> chunks = new ArrayList<>();
        int sectionOffset = 0;
        for (Document.Section section : doc.sections()) {
            String text = section.text();
            int start = skipSpace(text, 0, text.length());
            int end = skipSpaceBack(text, start, text.length());
            if (start < end) {
                Prefix prefix = prefix(doc.title(), section.headingPath());
                int max = limits.textTokens(prefix.tokens());
                List<Piece> pieces = new ArrayList<>();
                pieces(text, start, end, 0, max, pieces);
                for (Piece span : pack(text, pieces, max)) {
                    String chunkText = text.substring(span.start(), span.end());
                    int ordinal = chunks.size();
                    chunks.add(new Chunk(chunkId(request.tenant(), doc.source(), ordinal, chunkText),
                            request.tenant(), doc.source(), doc.title(), section.headingPath(), chunkText, ordinal,
                            documentHash, sectionOffset + span.start(), sectionOffset + span.end(), prefix.line()));
                }
            }
            sectionOffset += text.length() + Document.SECTION_SEPARATOR.length();
        }
        return chunks;
    }

    /** A prefix line and its tokens, the newline after it included (0 without a model window). */
    record Prefix(String line, int tokens) {
    }

    /** The prefix line of a section's chunks under {@link ChunkLimits#headingPrefix()}, fitted to the window. */
    Prefix prefix(String title, List<String> headingPath) {
        List<String> parts = limits.headingPrefix().parts(title, headingPath);
        String line = String.join(HeadingPrefix.SEPARATOR, parts);
        if (line.isEmpty()) {
            return new Prefix("", 0);
        }
        if (!limits.hasModelWindow()) {
            return new Prefix(line, 0);
        }
        int budget = limits.maxPrefixTokens();
        int tokens = lineTokens(line);
        // Too long: leave out the headings between the title and the innermost one, outermost first ...
        while (tokens > budget && parts.size() > 2) {
            parts.remove(1);
            line = String.join(HeadingPrefix.SEPARATOR, parts);
            tokens = lineTokens(line);
        }
        if (tokens <= budget) {
            return new Prefix(line, tokens);
        }
        // ... then cut words from the end: the longest run of leading words that fits (binary search).
        List<Integer> wordEnds = new ArrayList<>();
        for (int i = 0; i < line.length(); ) {
            int wordEnd = skipWord(line, i, line.length());
            if (wordEnd > i && !line.substring(i, wordEnd).equals(HeadingPrefix.SEPARATOR.strip())) {
                wordEnds.add(wordEnd);
            }
            i = skipSpace(line, wordEnd, line.length());
        }
        String best = "";
        int bestTokens = 0;
        int lo = 1;
        int hi = wordEnds.size() - 1; // the whole line is known not to fit
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            String cut = line.substring(0, wordEnds.get(mid - 1));
            int t = lineTokens(cut);
            if (t <= budget) {
                best = cut;
                bestTokens = t;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return new Prefix(best, bestTokens);
    }

    private int lineTokens(String line) {
        return counter.count(line + "\n");
    }

    /**
     * Appends the non-blank pieces of {@code text[start, end)}, each within the limit, each keeping its trailing
     * separator so that consecutive pieces are contiguous.
     */
    private void pieces(String text, int start, int end, int level, int max, List<Piece> out) {
        if (skipSpace(text, start, end) == end) {
            return;
        }
        int tokens = counter.count(text.substring(start, end));
        if (tokens <= max) {
            out.add(new Piece(start, end, tokens));
            return;
        }
        for (int l = level; l < SEPARATORS.length; l++) {
            String sep = SEPARATORS[l];
            int first = indexOf(text, sep, start, end);
            if (first < 0 || first + sep.length() == end) {
                continue; // this separator does not split the range: try the next finer one without recounting
            }
            for (int from = start; from < end; ) {
                int at = indexOf(text, sep, from, end);
                int to = at < 0 ? end : at + sep.length();
                pieces(text, from, to, l + 1, max, out);
                from = to;
            }
            return;
        }
        hardCut(text, start, end, max, out);
    }

    /** Cuts a range without separators (one long word) into the longest prefixes within the limit. */
    private void hardCut(String text, int start, int end, int max, List<Piece> out) {
        for (int from = start; from < end; ) {
            // Invariant: [from, good) fits (or is a single code point), [from, bad) does not; bad > end: unknown.
            int good = from + Character.charCount(text.codePointAt(from));
            int goodTokens = counter.count(text.substring(from, good));
            int bad = end + 1;
            int step = max;
            while (goodTokens <= max && good < end && bad - good > 1) {
                int probe = bad > end ? (int) Math.min(end, (long) good + step) : (good + bad) >>> 1;
                if (splitsPair(text, probe)) {
                    probe = probe - 1 > good ? probe - 1 : probe + 1;
                    if (probe >= bad) {
                        break;
                    }
                }
                int tokens = counter.count(text.substring(from, probe));
                if (tokens <= max) {
                    good = probe;
                    goodTokens = tokens;
                    step = (int) Math.min(2L * step, Integer.MAX_VALUE);
                } else {
                    bad = probe;
                }
            }
            out.add(new Piece(from, good, goodTokens));
            from = good;
        }
    }

    /** Greedy packing under {@code max}; returns the chunks as trimmed slices of {@code text} with their counts. */
    private List<Piece> pack(String text, List<Piece> pieces, int max) {
        List<Piece> chunks = new ArrayList<>();
        Piece overlap = null;
        for (int i = 0; i < pieces.size(); ) {
            Piece first = pieces.get(i);
            int tokens = (overlap == null ? 0 : overlap.tokens()) + first.tokens();
            int next = i + 1;
            while (next < pieces.size() && tokens + pieces.get(next).tokens() <= max) {
                tokens += pieces.get(next).tokens();
                next++;
            }
            int start = overlap == null ? first.start() : overlap.start();
            Piece chunk = trimmed(text, start, pieces.get(next - 1).end());
            // The sum misses what joining changes; give pieces back (then the overlap) while the chunk is too long.
            while (chunk.tokens() > max && (next - i > 1 || start != first.start())) {
                if (next - i > 1) {
                    next--;
                } else {
                    start = first.start();
                }
                chunk = trimmed(text, start, pieces.get(next - 1).end());
            }
            chunks.add(chunk);
            i = next;
            overlap = i < pieces.size() ? overlap(text, chunk, pieces.get(i).start(),
                    Math.min(limits.overlapTokens(), max - pieces.get(i).tokens())) : null;
        }
        return chunks;
    }

    /** {@code text[start, end)} without surrounding whitespace, counted. */
    private Piece trimmed(String text, int start, int end) {
        int s = skipSpace(text, start, end);
        int e = skipSpaceBack(text, s, end);
        return new Piece(s, e, counter.count(text.substring(s, e)));
    }

    /**
     * The longest run of whole words ending the chunk that fits {@code budget} tokens, never the whole chunk, as a
     * piece reaching to {@code next} (the start of the next piece, so the whitespace between is counted too); null
     * when not even the last word fits.
     */
    private Piece overlap(String text, Piece chunk, int next, int budget) {
        if (budget <= 0) {
            return null;
        }
        int start = next;
        int tokens = 0;
        while (true) {
            int word = wordStartBefore(text, chunk.start(), start);
            if (word <= chunk.start()) {
                break;
            }
            int t = counter.count(text.substring(word, start));
            if (tokens + t > budget) {
                break;
            }
            tokens += t;
            start = word;
        }
        if (start == next) {
            return null;
        }
        // Counted once as a whole: drop leading words while the sum underestimated it.
        int whole = counter.count(text.substring(start, next));
        while (whole > budget) {
            start = skipSpace(text, skipWord(text, start, chunk.end()), chunk.end());
            if (start >= chunk.end()) {
                return null;
            }
            whole = counter.count(text.substring(start, next));
        }
        return new Piece(start, next, whole);
    }

    /** Start of the word before {@code end} (skipping whitespace first), not before {@code floor}. */
    private static int wordStartBefore(String text, int floor, int end) {
        int i = skipSpaceBack(text, floor, end);
        while (i > floor && !Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static int skipWord(String text, int from, int end) {
        int i = from;
        while (i < end && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipSpace(String text, int from, int end) {
        int i = from;
        while (i < end && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipSpaceBack(String text, int floor, int end) {
        int i = end;
        while (i > floor && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** First occurrence of {@code sep} entirely inside {@code text[from, end)}, or -1; never scans past end. */
    private static int indexOf(String text, String sep, int from, int end) {
        for (int i = from, last = end - sep.length(); i <= last; i++) {
            if (text.startsWith(sep, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean splitsPair(String text, int at) {
        return at > 0 && at < text.length() && Character.isHighSurrogate(text.charAt(at - 1))
                && Character.isLowSurrogate(text.charAt(at));
    }

    static String chunkId(String tenant, String source, int ordinal, String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {tenant, source, Integer.toString(ordinal), text}) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
