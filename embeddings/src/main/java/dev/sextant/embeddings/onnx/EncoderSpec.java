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
        return ModelFiles.ALL_MINILM_L6_V2_Q.load();
    }

    /** Quantized bge-small-en-v1.5 (384 dimensions, CLS pooling) as shipped inside LangChain4j's jar. */
    public static EncoderSpec bgeSmallEnV15Quantized() {
        return ModelFiles.BGE_SMALL_EN_V15_Q.load();
    }

    /**
     * A shipped model by id ({@code all-minilm-l6-v2-q}, {@code bge-small-en-v1.5-q}) or a local directory holding
     * {@code model.onnx} and {@code tokenizer.json}, as sentence-transformers exports it: pooling is read from
     * {@code 1_Pooling/config.json} (mean when absent), the length limit from {@code sentence_bert_config.json}'s
     * {@code max_seq_length} (512 when absent), and vectors are normalised.
     */
    public static EncoderSpec forModel(String idOrDirectory) {
        return ModelFiles.locate(idOrDirectory).load();
    }

    /**
     * The tokenizer and length limit of the model {@link #forModel} would load, without reading the ONNX graph; a
     * directory needs only its {@code tokenizer.json} (and the sentence-transformers config files, if any).
     */
    public static TokenizerSpec tokenizerFor(String idOrDirectory) {
        return ModelFiles.locate(idOrDirectory).tokenizerSpec();
    }

    /** A local directory holding {@code model.onnx} and {@code tokenizer.json}. */
    public static EncoderSpec directory(String name, Path dir, Pooling pooling, boolean normalize, int maxTokens) {
        return ModelFiles.directory(name, dir, pooling, normalize, maxTokens).load();
    }

    /** This model's tokenizer and length limit. */
    public TokenizerSpec tokenizerSpec() {
        return new TokenizerSpec(name, tokenizer, maxTokens);
    }

    /**
     * Where a model's files are and how to use them, before anything large is read: {@link #forModel} and
     * {@link #tokenizerFor} resolve ids and directories through the same code and differ only in what they read.
     *
     * @param tokenizerFile the tokenizer.json to check before use; null when it comes from the classpath
     */
    private record ModelFiles(String name, ModelSource model, TokenizerSource tokenizer, Path tokenizerFile,
                              Pooling pooling, boolean normalize, int maxTokens) {

        static final ModelFiles ALL_MINILM_L6_V2_Q = new ModelFiles("all-minilm-l6-v2-q",
                () -> classpathBytes("/all-minilm-l6-v2-q.onnx"),
                () -> classpathStream("/all-minilm-l6-v2-q-tokenizer.json"), null, Pooling.MEAN, true, 128);

        static final ModelFiles BGE_SMALL_EN_V15_Q = new ModelFiles("bge-small-en-v1.5-q",
                () -> classpathBytes("/bge-small-en-v1.5-q.onnx"),
                () -> classpathStream("/bge-small-en-v1.5-q-tokenizer.json"), null, Pooling.CLS, true, 512);

        @FunctionalInterface
        interface ModelSource {
            byte[] read() throws IOException;
        }

        static ModelFiles locate(String idOrDirectory) {
            switch (idOrDirectory) {
                case "all-minilm-l6-v2-q":
                    return ALL_MINILM_L6_V2_Q;
                case "bge-small-en-v1.5-q":
                    return BGE_SMALL_EN_V15_Q;
                default:
                    Path dir = Path.of(idOrDirectory);
                    if (!Files.isDirectory(dir)) {
                        throw new IllegalArgumentException("embedding model '" + idOrDirectory + "' is neither "
                                + "all-minilm-l6-v2-q, bge-small-en-v1.5-q nor a directory");
                    }
                    return directory(dir.getFileName().toString(), dir, SentenceTransformersConfig.pooling(dir),
                            true, SentenceTransformersConfig.maxSeqLength(dir, 512));
            }
        }

        static ModelFiles directory(String name, Path dir, Pooling pooling, boolean normalize, int maxTokens) {
            Path modelFile = dir.resolve("model.onnx");
            Path tokenizerJson = dir.resolve("tokenizer.json");
            ModelSource model = () -> {
                if (!Files.isReadable(modelFile)) {
                    throw new IllegalArgumentException("no readable model.onnx in " + dir);
                }
                return Files.readAllBytes(modelFile);
            };
            return new ModelFiles(name, model, () -> Files.newInputStream(tokenizerJson), tokenizerJson, pooling,
                    normalize, maxTokens);
        }

        EncoderSpec load() {
            byte[] bytes;
            try {
                bytes = model.read();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read encoder model " + name, e);
            }
            requireTokenizer();
            return new EncoderSpec(name, bytes, tokenizer, pooling, normalize, maxTokens);
        }

        TokenizerSpec tokenizerSpec() {
            requireTokenizer();
            return new TokenizerSpec(name, tokenizer, maxTokens);
        }

        private void requireTokenizer() {
            if (tokenizerFile != null && !Files.isReadable(tokenizerFile)) {
                throw new IllegalArgumentException("no readable tokenizer.json in " + tokenizerFile.getParent());
            }
        }
    }

    private static InputStream classpathStream(String resource) throws IOException {
        InputStream in = EncoderSpec.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource " + resource + " not on the classpath");
        }
        return in;
    }

    private static byte[] classpathBytes(String resource) throws IOException {
        try (InputStream in = classpathStream(resource)) {
            return in.readAllBytes();
        }
    }
}
