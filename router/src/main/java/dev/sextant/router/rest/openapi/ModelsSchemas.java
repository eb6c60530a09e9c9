package dev.sextant.router.rest.openapi;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /v1/models}: what {@code ModelsResource} writes. */
public final class ModelsSchemas {

    private ModelsSchemas() {
    }

    @Schema(name = "ModelList", requiredProperties = {"object", "data"})
    public record ModelList(
            @Schema(constValue = "list", enumeration = "list")
            String object,
            @Schema(description = "The chat models first (when this process serves chat), then the embedding model "
                    + "(when it serves embeddings).")
            List<Model> data) {
    }

    @Schema(name = "Model", requiredProperties = {"id", "object", "created", "owned_by"},
            description = "A served model: a chat model has `context_length`, the embedding model `dimensions`.")
    public record Model(
            String id,
            @Schema(constValue = "model", enumeration = "model")
            String object,
            @Schema(format = "int64", description = "Unix time, seconds: when this process started.")
            long created,
            @Schema(constValue = "sextant", enumeration = "sextant")
            String owned_by,
            @Schema(description = "Prompt plus answer tokens at most (chat models).")
            Integer context_length,
            @Schema(description = "Vector length (the embedding model).")
            Integer dimensions) {
    }
}
