package dev.sextant.embeddings.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything needed to run one ONNX sentence encoder: where its files are and how to pool its output.
 *
 * @param name        model id reported to clients and stored with the index
 * @param modelBytes  the ONNX graph
 * @param tokenizer   opens a fresh stream of the HF {@code tokenizer.json}
 * @param pooling     sentence pooling
 * @param normalize   whether vectors are scaled to unit length
 * @param maxTokens   longer inputs are truncated to this many tokens (special tokens included)
 */
public record EncoderSpec(String name, byte[] modelBytes, TokenizerSource tokenizer, Pooling pooling,
                          boolean normalize, int maxTokens) {

    @FunctionalInterface
    public interface TokenizerSource {
        InputStream open() throws IOException;
    }

    public EncoderSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modelBytes, "modelBytes");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(pooling, "pooling");
        if (maxTokens < 8) {
            throw new IllegalArgumentException("maxTokens must be at least 8, got " + maxTokens);
        }
    }

    /** Quantized all-MiniLM-L6-v2 (384 dimensions) as shipped inside the LangChain4j jar. */
    public static EncoderSpec allMiniLmL6V2Quantized() {
        return new EncoderSpec("all-minilm-l6-v2-q", classpathBytes("/all-minilm-l6-v2-q.onnx"),
                () -> classpathStream("/all-minilm-l6-v2-q-tokenizer.json"), Pooling.MEAN, true, 256);
    }

    /** A local directory holding {@code model.onnx} and {@code tokenizer.json}. */
    public static EncoderSpec directory(String name, Path dir, Pooling pooling, boolean normalize, int maxTokens) {
        try {
            byte[] model = Files.readAllBytes(dir.resolve("model.onnx"));
            Path tokenizerJson = dir.resolve("tokenizer.json");
            if (!Files.isReadable(tokenizerJson)) {
                throw new IllegalArgumentException("no readable tokenizer.json in " + dir);
            }
            return new EncoderSpec(name, model, () -> Files.newInputStream(tokenizerJson), pooling, normalize,
                    maxTokens);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read encoder model in " + dir, e);
        }
    }

    private static InputStream classpathStream(String resource) throws IOException {
        InputStream in = EncoderSpec.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource " + resource + " not on the classpath");
        }
        return in;
    }

    private static byte[] classpathBytes(String resource) {
        try (InputStream in = classpathStream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
