package dev.sextant.router.rest.openapi;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /v1/embeddings}: what {@code EmbeddingsResource} reads, and the openai module's
 * {@code EmbeddingsResponse} writes.
 */
public final class EmbeddingsSchemas {

    private EmbeddingsSchemas() {
    }

    @Schema(name = "EmbeddingsRequest", requiredProperties = "input",
            description = "OpenAI's embeddings request. Other fields (`user`) are ignored.")
    public record Request(
            @Schema(oneOf = {String.class, String[].class}, minLength = 1, maxLength = 100_000, minItems = 1,
                    maxItems = 2048, description = "A text, or up to 2048 texts, each 1 to 100000 characters. "
                            + "Token arrays are not supported.")
            Object input,
            @Schema(description = "The embedding model of `GET /v1/models`; absent: that one. Another name is a 400.")
            String model,
            @Schema(enumeration = {"float", "base64"}, defaultValue = "float", description = "`float`: arrays of "
                    + "numbers; `base64`: each vector's little-endian float32 values, base64-encoded.")
            String encoding_format,
            @Schema(minimum = "1", description = "Must be the model's dimension when given (vectors are not "
                    + "truncated).")
            Integer dimensions) {
    }

    @Schema(name = "EmbeddingsResponse", requiredProperties = {"object", "data", "model", "usage"})
    public record Response(
            @Schema(constValue = "list", enumeration = "list")
            String object,
            @Schema(description = "One embedding per input, in input order.")
            List<Embedding> data,
            String model,
            EmbeddingsUsage usage) {
    }

    @Schema(name = "Embedding", requiredProperties = {"object", "index", "embedding"})
    public record Embedding(
            @Schema(constValue = "embedding", enumeration = "embedding")
            String object,
            @Schema(minimum = "0", description = "The input's position.")
            int index,
            @Schema(oneOf = {float[].class, String.class}, description = "The vector: numbers "
                    + "(`encoding_format` float) or base64 of little-endian float32 values (base64).")
            Object embedding) {
    }

    @Schema(name = "EmbeddingsUsage", requiredProperties = {"prompt_tokens", "total_tokens"})
    public record EmbeddingsUsage(
            @Schema(format = "int64")
            long prompt_tokens,
            @Schema(format = "int64", description = "The same as `prompt_tokens`.")
            long total_tokens) {
    }
}
