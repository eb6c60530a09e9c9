package dev.sextant.router.rest.openapi;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** OpenAI's error body, as {@code ApiErrors} writes it for every error status (and as a stream's failure event). */
public final class ErrorSchemas {

    private ErrorSchemas() {
    }

    @Schema(name = "ErrorResponse", description = "An error: the status says its class, `error` what went wrong.",
            requiredProperties = "error")
    public record ErrorResponse(Error error) {
    }

    @Schema(name = "Error", description = "All four fields are always present; `param` and `code` may be null.",
            requiredProperties = {"message", "type", "param", "code"})
    public record Error(
            @Schema(description = "What went wrong, for people.")
            String message,
            @Schema(description = "The error class.", enumeration = {"invalid_request_error", "rate_limit_error",
                "insufficient_quota", "server_error"})
            String type,
            @Schema(nullable = true, description = "The request field at fault, when one is: `max_tokens`, "
                    + "`messages[0].content`.")
            String param,
            @Schema(nullable = true, description = "A machine-readable reason: `invalid_api_key`, `admin_required`, "
                    + "`not_found`, `method_not_allowed`, `request_too_large`, `key_not_found`, `rate_limit_exceeded`, `overloaded`, "
                    + "`embeddings_overloaded`, `budget_exceeded`, `limits_unavailable`, `retrieval_unavailable`, "
                    + "`inference_unavailable`, `embeddings_unavailable`, `embeddings_incompatible`, or "
                    + "`<hop>_<reason>` for a failed hop (hop `embeddings`, `retrieval` or `inference`; reason "
                    + "`timeout`, `circuit_open` or `bulkhead_full`). Null for most 400s.")
            String code) {
    }
}
