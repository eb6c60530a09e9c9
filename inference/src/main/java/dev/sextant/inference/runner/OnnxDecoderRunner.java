package dev.sextant.inference.runner;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sextant.inference.kvcache.KvCacheManager;
import dev.sextant.inference.model.DecoderConfig;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * One forward pass of an ONNX decoder (onnxruntime-genai builder layout, GroupQueryAttention) per call: a prompt
 * prefill of one sequence into its cache row, or one decode step of every running row. The cache rows are bound as
 * both past input and present output, so keys/values are written in place.
 */
public final class OnnxDecoderRunner implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final DecoderConfig config;
    private final String device;
    private final Set<String> logitsOnly;

    public OnnxDecoderRunner(Path modelDir, DecoderConfig config, RunnerOptions options) {
        this.config = config;
        this.logitsOnly = Set.of(config.logitsName());
        DecoderSessions.Opened opened = DecoderSessions.open(modelDir, config, options);
        this.session = opened.session();
        this.device = opened.device();
    }

    public DecoderConfig config() {
        return config;
    }

    /** {@code cpu} or {@code cuda:N}: where this runner's session runs. */
    public String device() {
        return device;
    }

    /**
     * Runs a whole prompt of one sequence into cache row {@code row} (which must be empty) and returns the logits
     * at its last position.
     */
    public float[] prefill(KvCacheManager kv, int row, long[] tokens) {
        int length = tokens.length;
        checkLength(kv, length);
        long[] mask = new long[length];
        Arrays.fill(mask, 1L);
        Map<String, OnnxTensor> inputs = new HashMap<>();
        Map<String, OnnxValue> present = new HashMap<>();
        bindCache(layer -> kv.keysOfRow(layer, row), layer -> kv.valuesOfRow(layer, row), inputs, present);
        float[][] logits = run(inputs, present, tokens, new long[] {1, length}, mask, new long[] {1, length}, 1,
                length);
        return logits[0];
    }

    /**
     * One decode step for rows {@code 0..tokens.length-1}: row {@code i} holds {@code pastLengths[i]} cached
     * tokens and gets {@code tokens[i]} appended. Returns each row's logits for its next token.
     */
    public float[][] decode(KvCacheManager kv, long[] tokens, int[] pastLengths) {
        int rows = tokens.length;
        int width = 0;
        for (int len : pastLengths) {
            width = Math.max(width, len + 1);
        }
        checkLength(kv, width);
        // Right padding: row i attends to its first pastLengths[i] + 1 positions; GQA derives the per-row
        // sequence length from the mask sum.
        long[] mask = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(mask, r * width, r * width + pastLengths[r] + 1, 1L);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        Map<String, OnnxValue> present = new HashMap<>();
        bindCache(layer -> kv.keysOfFirst(layer, rows), layer -> kv.valuesOfFirst(layer, rows), inputs, present);
        return run(inputs, present, tokens, new long[] {rows, 1}, mask, new long[] {rows, width}, rows, 1);
    }

    /** Binds each layer's cache view as both past input and present output: the in-place write. */
    private void bindCache(IntFunction<OnnxTensor> keys, IntFunction<OnnxTensor> values,
                           Map<String, OnnxTensor> inputs, Map<String, OnnxValue> present) {
        for (int layer = 0; layer < config.numLayers(); layer++) {
            OnnxTensor k = keys.apply(layer);
            OnnxTensor v = values.apply(layer);
            inputs.put(config.pastKey(layer), k);
            inputs.put(config.pastValue(layer), v);
            present.put(config.presentKey(layer), k);
            present.put(config.presentValue(layer), v);
        }
    }

    private float[][] run(Map<String, OnnxTensor> inputs, Map<String, OnnxValue> present, long[] ids,
                          long[] idsShape, long[] mask, long[] maskShape, int rows, int positions) {
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), idsShape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), maskShape)) {
            inputs.put(config.inputIdsName(), idsTensor);
            inputs.put(config.attentionMaskName(), maskTensor);
            try (OrtSession.Result result = session.run(inputs, logitsOnly, present)) {
                OnnxTensor logits = (OnnxTensor) result.get(config.logitsName()).orElseThrow();
                FloatBuffer all = logits.getFloatBuffer();
                int vocab = config.vocabSize();
                float[][] out = new float[rows][vocab];
                for (int r = 0; r < rows; r++) {
                    all.position(((r + 1) * positions - 1) * vocab);
                    all.get(out[r]);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("decoder step failed: " + e.getMessage(), e);
        }
    }

    private static void checkLength(KvCacheManager kv, int length) {
        if (length > kv.maxSeqLen()) {
            throw new IllegalArgumentException("sequence of " + length + " tokens exceeds the cache's maximum "
                    + "sequence length " + kv.maxSeqLen());
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
