package dev.sextant.embeddings.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;
import dev.sextant.embeddings.TokenEmbeddingResult;
import dev.sextant.embeddings.TokenEmbeddings;
import dev.sextant.embeddings.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A transformer sentence encoder run with ONNX Runtime and tokenized with the HF tokenizers library (DJL).
 * Texts of concurrent callers are batched together by a {@link MicroBatcher}; dynamically quantized graphs are
 * rewritten by {@link BatchInvariantQuantization} first, so a text's vector does not depend on its batch.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, TokenEmbeddings, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OnnxEmbeddingModel.class);

    private final EncoderSpec spec;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final EncoderTokenizer counter;
    private final boolean takesTokenTypes;
    private final String outputName;
    private final String device;
    private final MicroBatcher batcher;
    private final EmbedderOptions options;
    private final int dimension;

    public OnnxEmbeddingModel(EncoderSpec spec, EmbedderOptions options) {
        this.spec = spec;
        this.env = OrtEnvironment.getEnvironment();
        try (InputStream tokenizerJson = spec.tokenizer().open();
             OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "truncation", "true",
                    "maxLength", Integer.toString(spec.maxTokens()),
                    "padding", "false"));
            this.counter = new EncoderTokenizer(spec.tokenizerSpec());
            this.device = attachDevice(sessionOptions, options);
            options = options.resolve(device, Runtime.getRuntime().availableProcessors());
            byte[] graph = spec.modelBytes();
            if (options.maxBatch() > 1) {
                BatchInvariantQuantization.Result rewrite = BatchInvariantQuantization.rewrite(graph);
                if (rewrite.applied()) {
                    graph = rewrite.model();
                    LOG.debugf("%s: %d activation quantizers made per-row", spec.name(),
                            rewrite.rewrittenQuantizers());
                } else if (graphHas(graph, "DynamicQuantizeLinear")) {
                    LOG.warnf("%s: cannot make its quantization batch-invariant (%s); embedding one text per call",
                            spec.name(), rewrite.notApplied());
                    options = options.withMaxBatch(1);
                }
            }
            sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (options.intraOpThreads() > 0) {
                sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
            }
            sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = env.createSession(graph, sessionOptions);
            this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
            this.outputName = session.getOutputNames().iterator().next();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer of " + spec.name(), e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load ONNX encoder " + spec.name() + ": " + e.getMessage(), e);
        }
        this.options = options;
        this.batcher = new MicroBatcher(spec.name(), this::runBatch, options);
        this.dimension = embed(EmbeddingRequest.of("dimension probe")).first().length;
    }

    @Override
    public EmbeddingResult embed(EmbeddingRequest request) {
        List<String> texts = request.texts();
        long[] tokenCount = new long[1];
        float[][] vectors = batcher.embed(() -> {
            long[][] ids = tokenize(texts);
            for (long[] row : ids) {
                tokenCount[0] += row.length;
            }
            return ids;
        });
        return new EmbeddingResult(Arrays.asList(vectors), tokenCount[0]);
    }

    /**
     * Runs in the caller's thread, all texts in one padded call, outside the micro-batcher (which pools): token
     * vectors are asked for a few dozen texts at a time by a reranker, not by concurrent single-text callers.
     */
    @Override
    public TokenEmbeddingResult embedTokens(EmbeddingRequest request) {
        long[][] rows = tokenize(request.texts());
        if (rows.length == 0) {
            return new TokenEmbeddingResult(List.of());
        }
        int width = Arrays.stream(rows).mapToInt(r -> r.length).max().orElse(0);
        return new TokenEmbeddingResult(Arrays.asList(run(rows, (values, size) -> {
            float[][][] out = new float[rows.length][][];
            for (int r = 0; r < rows.length; r++) {
                // Drop [CLS] and [SEP]: they carry the sentence, not a token, and would match everything.
                int tokens = Math.max(0, rows[r].length - 2);
                out[r] = new float[tokens][size];
                for (int t = 0; t < tokens; t++) {
                    values.get((r * width + t + 1) * size, out[r][t]);
                    Vectors.normalizeInPlace(out[r][t]);
                }
            }
            return out;
        })));
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String name() {
        return spec.name();
    }

    /** Where ONNX Runtime runs this model: {@code cpu} or {@code cuda:N}. */
    public String device() {
        return device;
    }

    /** The options in effect, with device-dependent choices made. */
    public EmbedderOptions options() {
        return options;
    }

    public EmbedderStats stats() {
        return batcher.stats();
    }

    /**
     * Tokens in {@code text} without special tokens and without truncation: what a chunker needs to size chunks
     * in this model's tokens (the model itself reads at most {@link #maxTokens()}, special tokens included).
     * Counted by an {@link EncoderTokenizer}, as processes without the encoder count.
     */
    public int countTokens(String text) {
        return counter.countTokens(text);
    }

    /** Longest input the model reads, special tokens included; the rest of a longer text is cut off. */
    public int maxTokens() {
        return spec.maxTokens();
    }

    private long[][] tokenize(List<String> texts) {
        if (texts.isEmpty()) {
            return new long[0][];
        }
        Encoding[] encodings = texts.size() == 1
                ? new Encoding[] {tokenizer.encode(texts.get(0))}
                : tokenizer.batchEncode(texts);
        long[][] ids = new long[encodings.length][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = encodings[i].getIds();
        }
        return ids;
    }

    /** One ONNX call; rows arrive sorted by length, padded on the right to the longest. */
    private float[][] runBatch(long[][] rows) {
        int width = Arrays.stream(rows).mapToInt(r -> r.length).max().orElse(0);
        return run(rows, (values, size) -> {
            float[][] pooled = new float[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                pooled[r] = pool(values, r * width * size, rows[r].length, size);
                if (spec.normalize()) {
                    Vectors.normalizeInPlace(pooled[r]);
                }
            }
            return pooled;
        });
    }

    /** Reads the hidden states of one call: {@code [rows][longest row][size]}, row-major. */
    private interface HiddenStates<T> {
        T read(FloatBuffer values, int size);
    }

    /** One ONNX call on rows padded on the right to the longest. */
    private <T> T run(long[][] rows, HiddenStates<T> states) {
        int width = Arrays.stream(rows).mapToInt(r -> r.length).max().orElse(0);
        long[] ids = new long[rows.length * width];
        long[] mask = new long[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, ids, r * width, rows[r].length);
            Arrays.fill(mask, r * width, r * width + rows[r].length, 1L);
        }
        long[] shape = {rows.length, width};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (takesTokenTypes) {
                // Single-sentence inputs: every token is segment 0.
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]),
                        shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                long[] hiddenShape = hidden.getInfo().getShape();
                return states.read(hidden.getFloatBuffer(), (int) hiddenShape[2]);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("embedding model " + spec.name() + " failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[] pool(FloatBuffer hidden, int rowOffset, int length, int size) {
        float[] vector = new float[size];
        if (spec.pooling() == Pooling.CLS) {
            hidden.get(rowOffset, vector);
            return vector;
        }
        float[] token = new float[size];
        for (int t = 0; t < length; t++) {
            hidden.get(rowOffset + t * size, token);
            for (int d = 0; d < size; d++) {
                vector[d] += token[d];
            }
        }
        for (int d = 0; d < size; d++) {
            vector[d] /= Math.max(1, length);
        }
        return vector;
    }

    private String attachDevice(OrtSession.SessionOptions sessionOptions, EmbedderOptions options) {
        if (options.device().equals("cpu")) {
            return "cpu";
        }
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            LOG.warnf("%s: %s requested, but this ONNX Runtime build has no CUDA execution provider (build with "
                    + "-Pgpu); using the CPU", spec.name(), options.device());
            return "cpu";
        }
        try {
            sessionOptions.addCUDA(options.cudaDevice());
            return "cuda:" + options.cudaDevice();
        } catch (OrtException e) {
            LOG.warnf("%s: CUDA execution provider could not start (%s; needs CUDA 12 and cuDNN 9); using the CPU",
                    spec.name(), e.getMessage());
            return "cpu";
        }
    }

    private static boolean graphHas(byte[] graph, String opType) {
        return OnnxModelProto.parse(graph).nodes().stream().anyMatch(n -> n.opType().equals(opType));
    }

    @Override
    public void close() {
        batcher.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        tokenizer.close();
        counter.close();
    }
}
