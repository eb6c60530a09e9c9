package dev.sextant.embeddings;

import java.util.List;
import java.util.Objects;

/** Texts to embed, in order. */
public record EmbeddingRequest(List<String> texts) {

    public EmbeddingRequest {
        Objects.requireNonNull(texts, "texts");
        texts = List.copyOf(texts);
    }

    public static EmbeddingRequest of(String... texts) {
        return new EmbeddingRequest(List.of(texts));
    }
}
