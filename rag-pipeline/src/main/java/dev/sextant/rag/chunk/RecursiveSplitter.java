package dev.sextant.rag.chunk;

import dev.sextant.rag.document.Document;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Splits each section on the coarsest separator that yields pieces under the size limit (paragraphs, then lines,
 * then sentences, then words), then packs neighbouring pieces into chunks with a tail overlap. Never crosses a
 * section (heading) boundary, so every chunk has one heading path.
 */
public final class RecursiveSplitter implements DocumentSplitter {

    private static final String[] SEPARATORS = {"\n\n", "\n", ". ", " "};

    private final int maxChars;
    private final int overlapChars;

    public RecursiveSplitter(int maxChars, int overlapChars) {
        if (maxChars < 50) {
            throw new IllegalArgumentException("maxChars must be at least 50, got " + maxChars);
        }
        if (overlapChars < 0 || overlapChars >= maxChars / 2) {
            throw new IllegalArgumentException("overlapChars must be in [0, maxChars/2), got " + overlapChars);
        }
        this.maxChars = maxChars;
        this.overlapChars = overlapChars;
    }

    @Override
    public List<Chunk> split(SplitRequest request) {
        Document doc = request.document();
        String documentHash = doc.contentHash();
        List<Chunk> chunks = new ArrayList<>();
        for (Document.Section section : doc.sections()) {
            for (String text : pack(pieces(section.text().strip(), 0))) {
                int ordinal = chunks.size();
                chunks.add(new Chunk(chunkId(request.tenant(), doc.source(), ordinal, text), request.tenant(),
                        doc.source(), doc.title(), section.headingPath(), text, ordinal, documentHash));
            }
        }
        return chunks;
    }

    /** Pieces no longer than maxChars, each keeping its trailing separator so joins restore the text. */
    private List<String> pieces(String text, int level) {
        if (text.length() <= maxChars) {
            return text.isBlank() ? List.of() : List.of(text);
        }
        if (level == SEPARATORS.length) {
            List<String> hard = new ArrayList<>();
            for (int i = 0; i < text.length(); i += maxChars) {
                hard.add(text.substring(i, Math.min(text.length(), i + maxChars)));
            }
            return hard;
        }
        String sep = SEPARATORS[level];
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int at = text.indexOf(sep, start);
            int end = at < 0 ? text.length() : at + sep.length();
            out.addAll(pieces(text.substring(start, end), level + 1));
            start = end;
        }
        return out;
    }

    private List<String> pack(List<String> pieces) {
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String piece : pieces) {
            if (current.length() > 0 && current.length() + piece.length() > maxChars) {
                chunks.add(current.toString().strip());
                current = new StringBuilder(overlapTail(current));
            }
            current.append(piece);
        }
        if (!current.toString().isBlank()) {
            chunks.add(current.toString().strip());
        }
        return chunks;
    }

    /** The last whole words of the previous chunk, at most overlapChars long. */
    private String overlapTail(CharSequence previous) {
        if (overlapChars == 0) {
            return "";
        }
        String tail = previous.subSequence(Math.max(0, previous.length() - overlapChars), previous.length())
                .toString();
        int space = tail.indexOf(' ');
        return space < 0 ? "" : tail.substring(space + 1);
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
