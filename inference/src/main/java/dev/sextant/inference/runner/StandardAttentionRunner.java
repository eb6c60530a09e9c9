package dev.sextant.inference.runner;

import ai.onnxruntime.OnnxTensor;
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

/**
 * Hugging Face Optimum exports (standard attention, {@code position_ids}, present = concat(past, new)). Such a
 * graph cannot write into a cache in place, so each decode step gathers the rows' keys/values into a left-padded
 * batch and copies each row's new key/value back: the per-step copy that builder (GroupQueryAttention) graphs avoid.
 * Rows are stored like {@link KvCacheManager}'s, which also does slot bookkeeping.
 */
public final class StandardAttentionRunner extends KvCacheBackedRunner {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final DecoderConfig config;
    private final String device;
    private final boolean takesPositions;

    public StandardAttentionRunner(Path modelDir, DecoderConfig config, RunnerOptions options, CacheOptions cache) {
        super(cacheFor(config, cache));
        this.config = config;
        DecoderSessions.Opened opened = DecoderSessions.open(modelDir, config, options);
        this.session = opened.session();
        this.device = opened.device();
        this.takesPositions = session.getInputNames().contains("position_ids");
    }

    @Override
    public DecoderConfig config() {
        return config;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public float[] prefill(int row, long[] tokens) {
        int length = tokens.length;
        checkLength(length);
        long[] mask = new long[length];
        Arrays.fill(mask, 1L);
        long[] positions = new long[length];
        for (int i = 0; i < length; i++) {
            positions[i] = i;
        }
        float[][] empty = new float[config.numLayers() * 2][0];
        return run(tokens, new long[] {1, length}, mask, positions, empty, 0, new int[] {0}, new int[] {row}, length)[0];
    }

    @Override
    public float[][] decode(long[] tokens, int[] pastLengths) {
        int rows = tokens.length;
        int width = Arrays.stream(pastLengths).max().orElse(0);
        checkLength(width + 1);
        int heads = config.numKvHeads();
        int headSize = config.headSize();
        // Left padding: row r's cached tokens occupy the last pastLengths[r] of `width` past positions.
        float[][] past = new float[config.numLayers() * 2][rows * heads * width * headSize];
        for (int layer = 0; layer < config.numLayers(); layer++) {
            for (int kind = 0; kind < 2; kind++) {
                FloatBuffer stored = kind == 0 ? kv.keyBuffer(layer) : kv.valueBuffer(layer);
                float[] batch = past[layer * 2 + kind];
                for (int r = 0; r < rows; r++) {
                    int pad = width - pastLengths[r];
                    for (int h = 0; h < heads; h++) {
                        stored.get(kv.offset(r, h, 0), batch, ((r * heads + h) * width + pad) * headSize,
                                pastLengths[r] * headSize);
                    }
                }
            }
        }
        long[] mask = new long[rows * (width + 1)];
        long[] positions = new long[rows];
        int[] rowIndex = new int[rows];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(mask, r * (width + 1) + width - pastLengths[r], (r + 1) * (width + 1), 1L);
            positions[r] = pastLengths[r];
            rowIndex[r] = r;
        }
        return run(tokens, new long[] {rows, 1}, mask, positions, past, width, pastLengths, rowIndex, 1);
    }

    /**
     * One model call; the new keys/values (the last {@code newTokens} present positions) are copied into each
     * row's storage at {@code writeAt[r]}.
     */
    private float[][] run(long[] ids, long[] idsShape, long[] mask, long[] positions, float[][] past, int pastWidth,
                          int[] writeAt, int[] rowIndex, int newTokens) {
        int rows = (int) idsShape[0];
        int heads = config.numKvHeads();
        int headSize = config.headSize();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(config.inputIdsName(), OnnxTensor.createTensor(env, LongBuffer.wrap(ids), idsShape));
            inputs.put(config.attentionMaskName(), OnnxTensor.createTensor(env, LongBuffer.wrap(mask),
                    new long[] {rows, pastWidth + newTokens}));
            if (takesPositions) {
                inputs.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(positions), idsShape));
            }
            long[] pastShape = {rows, heads, pastWidth, headSize};
            for (int layer = 0; layer < config.numLayers(); layer++) {
                inputs.put(config.pastKey(layer), OnnxTensor.createTensor(env, FloatBuffer.wrap(past[layer * 2]),
                        pastShape));
                inputs.put(config.pastValue(layer), OnnxTensor.createTensor(env,
                        FloatBuffer.wrap(past[layer * 2 + 1]), pastShape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                int total = pastWidth + newTokens;
                for (int layer = 0; layer < config.numLayers(); layer++) {
                    for (int kind = 0; kind < 2; kind++) {
                        String name = kind == 0 ? config.presentKey(layer) : config.presentValue(layer);
                        FloatBuffer present = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
                        FloatBuffer stored = kind == 0 ? kv.keyBuffer(layer) : kv.valueBuffer(layer);
                        for (int r = 0; r < rows; r++) {
                            for (int h = 0; h < heads; h++) {
                                int from = ((r * heads + h) * total + pastWidth) * headSize;
                                stored.put(kv.offset(rowIndex[r], h, writeAt[r]), present, from,
                                        newTokens * headSize);
                            }
                        }
                    }
                }
                FloatBuffer logits = ((OnnxTensor) result.get(config.logitsName()).orElseThrow()).getFloatBuffer();
                int vocab = config.vocabSize();
                float[][] out = new float[rows][vocab];
                for (int r = 0; r < rows; r++) {
                    logits.get(((r + 1) * newTokens - 1) * vocab, out[r]);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("decoder step failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private void checkLength(int length) {
        if (length > kv.maxSeqLen()) {
            throw new IllegalArgumentException("sequence of " + length + " tokens exceeds the cache's maximum "
                    + "sequence length " + kv.maxSeqLen());
        }
    }

    @Override
    public void close() {
        kv.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
