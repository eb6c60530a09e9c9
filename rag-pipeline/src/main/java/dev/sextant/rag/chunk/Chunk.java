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
 */
public record Chunk(String id, String tenant, String source, String title, List<String> headingPath, String text,
                    int ordinal, String documentHash, int start, int end) {

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

    /** A chunk without document offsets, as the stores give chunks back. */
    public Chunk(String id, String tenant, String source, String title, List<String> headingPath, String text,
                 int ordinal, String documentHash) {
        this(id, tenant, source, title, headingPath, text, ordinal, documentHash, -1, -1);
    }

    /** Whether {@link #start()} and {@link #end()} locate the text in its document. */
    public boolean hasOffsets() {
        return start >= 0;
    }

    /** What the embedder sees: title and headings give a short chunk the context it lacks on its own. */
    public String embeddingText() {
        StringBuilder sb = new StringBuilder(title);
        for (String heading : headingPath) {
            if (!heading.equals(title)) {
                sb.append(" > ").append(heading);
            }
        }
        return sb.append('\n').append(text).toString();
    }
}
