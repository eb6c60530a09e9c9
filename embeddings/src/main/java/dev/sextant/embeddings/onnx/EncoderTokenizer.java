package dev.sextant.embeddings.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Counts tokens with an encoder's tokenizer, without the encoder: a router that embeds on a remote service still
 * sizes chunks and packs context in the embedder's tokens. {@link OnnxEmbeddingModel#countTokens} delegates here,
 * so both count alike. Thread-safe.
 */
public final class EncoderTokenizer implements AutoCloseable {

    private final TokenizerSpec spec;
    private final HuggingFaceTokenizer tokenizer;

    public EncoderTokenizer(TokenizerSpec spec) {
        this.spec = spec;
        try (InputStream tokenizerJson = spec.source().open()) {
            // No truncation: a chunker must see how long a text really is, not the encoder's cut.
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("truncation", "false",
                    "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer of " + spec.name(), e);
        }
    }

    /** The tokenizer of a shipped model id or a model directory, as {@link EncoderSpec#forModel} resolves it. */
    public static EncoderTokenizer forModel(String idOrDirectory) {
        return new EncoderTokenizer(EncoderSpec.tokenizerFor(idOrDirectory));
    }

    /**
     * Tokens in {@code text} without special tokens and without truncation: what a chunker needs to size chunks
     * in this model's tokens (the model itself reads at most {@link #maxTokens()}, special tokens included).
     */
    public int countTokens(String text) {
        return tokenizer.encode(text, false, false).getIds().length;
    }

    /** Longest input the model reads, special tokens included. */
    public int maxTokens() {
        return spec.maxTokens();
    }

    /** The model id this tokenizer belongs to. */
    public String name() {
        return spec.name();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
