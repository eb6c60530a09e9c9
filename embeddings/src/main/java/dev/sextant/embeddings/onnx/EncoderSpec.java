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

    /**
     * Quantized all-MiniLM-L6-v2 (384 dimensions) as shipped inside the LangChain4j jar. Its tokenizer.json truncates
     * at 128 tokens (the length the model was trained on), and so do we: LangChain4j's own model does the same.
     */
    public static EncoderSpec allMiniLmL6V2Quantized() {
        return new EncoderSpec("all-minilm-l6-v2-q", classpathBytes("/all-minilm-l6-v2-q.onnx"),
                () -> classpathStream("/all-minilm-l6-v2-q-tokenizer.json"), Pooling.MEAN, true, 128);
    }

    /** Quantized bge-small-en-v1.5 (384 dimensions, CLS pooling) as shipped inside LangChain4j's jar. */
    public static EncoderSpec bgeSmallEnV15Quantized() {
        return new EncoderSpec("bge-small-en-v1.5-q", classpathBytes("/bge-small-en-v1.5-q.onnx"),
                () -> classpathStream("/bge-small-en-v1.5-q-tokenizer.json"), Pooling.CLS, true, 512);
    }

    /**
     * A shipped model by id ({@code all-minilm-l6-v2-q}, {@code bge-small-en-v1.5-q}) or a local directory holding
     * {@code model.onnx} and {@code tokenizer.json}, as sentence-transformers exports it: pooling is read from
     * {@code 1_Pooling/config.json} (mean when absent), the length limit from {@code sentence_bert_config.json}'s
     * {@code max_seq_length} (512 when absent), and vectors are normalised.
     */
    public static EncoderSpec forModel(String idOrDirectory) {
        switch (idOrDirectory) {
            case "all-minilm-l6-v2-q":
                return allMiniLmL6V2Quantized();
            case "bge-small-en-v1.5-q":
                return bgeSmallEnV15Quantized();
            default:
                Path dir = Path.of(idOrDirectory);
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("embedding model '" + idOrDirectory + "' is neither "
                            + "all-minilm-l6-v2-q, bge-small-en-v1.5-q nor a directory");
                }
                return directory(dir.getFileName().toString(), dir, SentenceTransformersConfig.pooling(dir), true,
                        SentenceTransformersConfig.maxSeqLength(dir, 512));
        }
    }

    /** A local directory holding {@code model.onnx} and {@code tokenizer.json}. */
    public static EncoderSpec directory(String name, Path dir, Pooling pooling, boolean normalize, int maxTokens) {
        try {
            Path modelFile = dir.resolve("model.onnx");
            if (!Files.isReadable(modelFile)) {
                throw new IllegalArgumentException("no readable model.onnx in " + dir);
            }
            Path tokenizerJson = dir.resolve("tokenizer.json");
            if (!Files.isReadable(tokenizerJson)) {
                throw new IllegalArgumentException("no readable tokenizer.json in " + dir);
            }
            return new EncoderSpec(name, Files.readAllBytes(modelFile), () -> Files.newInputStream(tokenizerJson),
                    pooling, normalize, maxTokens);
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
