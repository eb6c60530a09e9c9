package dev.sextant.router.rest.openapi;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /v1/retrieve}: what {@code RetrieveResource} reads and writes (sextant's own route). */
public final class RetrieveSchemas {

    private RetrieveSchemas() {
    }

    @Schema(name = "RetrieveRequest", requiredProperties = "query",
            description = "A search over the caller's tenant's chunks. Absent or null fields take their default.")
    public record Request(
            @Schema(minLength = 1, maxLength = 8192, description = "Not blank.")
            String query,
            @Schema(defaultValue = "5", minimum = "1", maximum = "100")
            Integer top_k,
            @Schema(minimum = "-1", maximum = "1", description = "Chunks scoring lower are left out; default: the "
                    + "server's `sextant.retrieval.min-score` (0).")
            Double min_score,
            @Schema(minimum = "0", maximum = "100", description = "Chunks of one document at most; 0 is no limit; "
                    + "default: the server's `sextant.retrieval.max-per-source` (2).")
            Integer max_per_source,
            @Schema(enumeration = {"hybrid", "dense", "keyword"}, description = "`dense` (vectors), `keyword` "
                    + "(BM25) or `hybrid` (both, rank-fused); default: the server's `sextant.retrieval.mode` "
                    + "(hybrid).")
            String mode) {
    }

    @Schema(name = "RetrieveResponse", requiredProperties = "results")
    public record Response(
            @Schema(description = "Best first.")
            List<Result> results) {
    }

    @Schema(name = "RetrievedChunk", requiredProperties = {"source", "chunk_id", "score", "title", "heading_path",
        "text"})
    public record Result(
            @Schema(description = "The document, as its path under the ingested root.")
            String source,
            String chunk_id,
            double score,
            @Schema(nullable = true)
            String title,
            @Schema(description = "The headings above the chunk, outermost first.")
            List<String> heading_path,
            String text) {
    }
}
