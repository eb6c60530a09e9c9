package dev.sextant.embeddings.onnx;

import java.util.Objects;

/**
 * The tokenizer half of an {@link EncoderSpec}: enough to count tokens the way the encoder reads them without
 * loading the ONNX graph (a router that embeds remotely still packs context in the embedder's tokens).
 *
 * @param name      model id, as in {@link EncoderSpec#name()}
 * @param source    opens a fresh stream of the HF {@code tokenizer.json}
 * @param maxTokens longest input the encoder reads, special tokens included
 */
public record TokenizerSpec(String name, EncoderSpec.TokenizerSource source, int maxTokens) {

    public TokenizerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }
}
