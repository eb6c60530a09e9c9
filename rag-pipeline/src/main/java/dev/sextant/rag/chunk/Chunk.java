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
 */
public record Chunk(String id, String tenant, String source, String title, List<String> headingPath, String text,
                    int ordinal, String documentHash) {

    public Chunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        headingPath = List.copyOf(headingPath);
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
