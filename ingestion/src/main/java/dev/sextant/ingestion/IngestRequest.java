package dev.sextant.ingestion;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * @param roots         files or directories; a chunk's source is its path relative to the root it was found under
 * @param tenant        owner of every ingested chunk
 * @param includes      globs over the source path ({@code **}{@code /*.html}); when given, a file must match one
 * @param excludes      globs over the source path; a file matching one is skipped
 * @param dryRun        report what would change without embedding or writing anything
 * @param deleteMissing remove the tenant's stored documents that this run did not find under its roots
 */
public record IngestRequest(List<Path> roots, String tenant, List<String> includes, List<String> excludes,
                            boolean dryRun, boolean deleteMissing) {
    public IngestRequest {
        roots = List.copyOf(roots);
        Objects.requireNonNull(tenant, "tenant");
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no path to ingest");
        }
    }

    /** Everything under the roots, written for real. */
    public IngestRequest(List<Path> roots, String tenant) {
        this(roots, tenant, List.of(), List.of(), false, false);
    }
}
