package dev.sextant.embeddings.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;
import dev.sextant.embeddings.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A transformer sentence encoder run with ONNX Runtime and tokenized with the HF tokenizers library (DJL).
 * Texts of similar length are batched together so padding stays small.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, AutoCloseable {

    private final EncoderSpec spec;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean takesTokenTypes;
    private final int dimension;
    private final int maxBatch;

    public OnnxEmbeddingModel(EncoderSpec spec, int intraOpThreads, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
        }
        this.spec = spec;
        this.maxBatch = maxBatch;
        this.env = OrtEnvironment.getEnvironment();
        try (InputStream tokenizerJson = spec.tokenizer().open();
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "truncation", "true",
                    "maxLength", Integer.toString(spec.maxTokens()),
                    "padding", "false"));
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = env.createSession(spec.modelBytes(), options);
            this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer of " + spec.name(), e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load ONNX encoder " + spec.name() + ": " + e.getMessage(), e);
        }
        this.dimension = embedUnchecked(List.of("dimension probe")).vectors().get(0).length;
    }

    @Override
    public EmbeddingResult embed(EmbeddingRequest request) {
        return embedUnchecked(request.texts());
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String name() {
        return spec.name();
    }

    private EmbeddingResult embedUnchecked(List<String> texts) {
        Encoding[] encodings = new Encoding[texts.size()];
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            encodings[i] = tokenizer.encode(texts.get(i));
            tokens += encodings[i].getIds().length;
        }
        // Sorting by length before cutting batches keeps padding (wasted compute) small.
        Integer[] order = IntStream.range(0, texts.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
        float[][] vectors = new float[texts.size()][];
        for (int start = 0; start < order.length; start += maxBatch) {
            int end = Math.min(order.length, start + maxBatch);
            Encoding[] batch = new Encoding[end - start];
            for (int j = start; j < end; j++) {
                batch[j - start] = encodings[order[j]];
            }
            float[][] pooled = runBatch(batch);
            for (int j = start; j < end; j++) {
                vectors[order[j]] = pooled[j - start];
            }
        }
        return new EmbeddingResult(new ArrayList<>(Arrays.asList(vectors)), tokens);
    }

    private float[][] runBatch(Encoding[] batch) {
        int rows = batch.length;
        int width = Arrays.stream(batch).mapToInt(e -> e.getIds().length).max().orElse(0);
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] types = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            long[] rowIds = batch[r].getIds();
            System.arraycopy(rowIds, 0, ids, r * width, rowIds.length);
            System.arraycopy(batch[r].getAttentionMask(), 0, mask, r * width, rowIds.length);
            System.arraycopy(batch[r].getTypeIds(), 0, types, r * width, rowIds.length);
        }
        long[] shape = {rows, width};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (takesTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                float[][] pooled = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    pooled[r] = pool(hidden[r], mask, r * width, batch[r].getIds().length);
                    if (spec.normalize()) {
                        Vectors.normalizeInPlace(pooled[r]);
                    }
                }
                return pooled;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("embedding model " + spec.name() + " failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[] pool(float[][] tokenVectors, long[] mask, int maskOffset, int length) {
        if (spec.pooling() == Pooling.CLS) {
            return tokenVectors[0].clone();
        }
        float[] sum = new float[tokenVectors[0].length];
        int counted = 0;
        for (int t = 0; t < length; t++) {
            if (mask[maskOffset + t] == 0) {
                continue;
            }
            float[] v = tokenVectors[t];
            for (int d = 0; d < sum.length; d++) {
                sum[d] += v[d];
            }
            counted++;
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= Math.max(1, counted);
        }
        return sum;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        tokenizer.close();
    }
}
