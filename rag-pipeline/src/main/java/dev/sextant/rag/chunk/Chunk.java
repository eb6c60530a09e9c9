package dev.sextant.rag.chunk;

import java.util.List;
import java.util.Objects;

/**
 * A piece of a document small enough to embed and to quote as context.
 *
 * @param id           stable id derived from tenant, source, position and text
 * @param tenant       owner; retrieval never crosses tenants
 * @param source       document identifier (path relative to the ingested root)
 * @param title        document title
 * @param headingPath  headings above this chunk, outermost first
 * @param text         the chunk's text
 * @param ordinal      position of the chunk within its document
 * @param documentHash content hash of the whole document, to skip unchanged documents on re-ingest
 * @param start        where {@code text} starts in the document's {@link dev.sextant.rag.document.Document#text()
 *                     text}, so that {@code document.text().substring(start, end).equals(text)}; -1 when unknown
 *                     (the stores do not keep offsets: chunks read back from a store have none)
 * @param end          where {@code text} ends (exclusive) in the document's text; -1 when unknown
 * @param embeddingPrefix the line the embedder reads before the text, as the splitter fitted it to the model's input
 *                     ({@link HeadingPrefix}, {@link ChunkLimits}); "" for none; {@code null} when unknown (chunks
 *                     read back from a store, or made without a splitter): then the title and the whole heading path
 */
public record Chunk(String id, String tenant, String source, String title, List<String> headingPath, String text,
                    int ordinal, String documentHash, int start, int end, String embeddingPrefix) {

    public Chunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        headingPath = List.copyOf(headingPath);
        boolean unknown = start == -1 && end == -1;
        if (!unknown && (start < 0 || end - start != text.length())) {
            throw new IllegalArgumentException("offsets [" + start + ", " + end + ") do not span the "
                    + text.length() + " characters of the text (use -1, -1 when unknown)");
        }
    }

    /** A chunk with document offsets and the unfitted prefix (title and whole heading path). */
    public Chunk(String id, String tenant, String source, String title, List<String> headingPath, String text,
                 int ordinal, String documentHash, int start, int end) {
        this(id, tenant, source, title, headingPath, text, ordinal, documentHash, start, end, null);
    }

    /** A chunk without document offsets or fitted prefix, as the stores give chunks back. */
    public Chunk(String id, String tenant, String source, String title, List<String> headingPath, String text,
                 int ordinal, String documentHash) {
        this(id, tenant, source, title, headingPath, text, ordinal, documentHash, -1, -1, null);
    }

    /** Whether {@link #start()} and {@link #end()} locate the text in its document. */
    public boolean hasOffsets() {
        return start >= 0;
    }

    /**
     * What the embedder reads: the {@link #embeddingPrefix()} line (title and headings give a short chunk the context
     * it lacks on its own), then the text; the text alone when the prefix is empty.
     */
    public String embeddingText() {
        String prefix = embeddingPrefix != null ? embeddingPrefix : HeadingPrefix.PATH.line(title, headingPath);
        return prefix.isEmpty() ? text : prefix + "\n" + text;
    }

    /**
     * What keyword search (BM25) indexes: the title and the whole heading path on a line, then the text. Unlike the
     * embedder, BM25 has no input limit, so it gets every heading whatever the embedding prefix.
     */
    public String keywordText() {
        return HeadingPrefix.PATH.line(title, headingPath) + "\n" + text;
    }
}
