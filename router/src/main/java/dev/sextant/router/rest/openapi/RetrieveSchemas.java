package dev.sextant.router.rest.openapi;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /v1/retrieve}: what {@code RetrieveResource} reads and writes (sextant's own route). */
public final class RetrieveSchemas {

    private RetrieveSchemas() {
    }

    @Schema(name = "RetrieveRequest",
            description = "A search over the caller's tenant's chunks: give `query` or `messages`, not both (400 "
                    + "otherwise). Absent or null fields take their default.")
    public record Request(
            @Schema(minLength = 1, maxLength = 8192, description = "The search text; not blank.")
            String query,
            @Schema(maxItems = 100, description = "A conversation instead of `query`, as chat completions take it; "
                    + "the last message must be the user's (each user message not blank, at most 8192 "
                    + "characters). It is searched with the standalone query the server's "
                    + "`sextant.retrieval.rewrite` makes of it (default `fold`: a follow-up gets the earlier "
                    + "questions it continues folded in), which the response's `query` shows.")
            List<ChatSchemas.Message> messages,
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
            @Schema(description = "With `messages` only: the query that was searched.")
            String query,
            @Schema(enumeration = {"as_asked", "folded", "condensed"}, description = "With `messages` only: how "
                    + "`query` was made: the last message as asked (a first or standalone question), folded with "
                    + "earlier questions, or condensed by the chat model.")
            String rewrite,
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
