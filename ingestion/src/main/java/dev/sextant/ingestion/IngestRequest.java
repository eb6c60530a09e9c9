package dev.sextant.ingestion;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * @param roots  files or directories; a chunk's source is its path relative to the root it was found under
 * @param tenant owner of every ingested chunk
 */
public record IngestRequest(List<Path> roots, String tenant) {
    public IngestRequest {
        roots = List.copyOf(roots);
        Objects.requireNonNull(tenant, "tenant");
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no path to ingest");
        }
    }
}
