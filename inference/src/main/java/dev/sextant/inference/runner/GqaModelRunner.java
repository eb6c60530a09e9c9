package dev.sextant.inference.runner;

import dev.sextant.inference.model.DecoderConfig;
import java.nio.file.Path;

/**
 * onnxruntime-genai builder graphs (GroupQueryAttention): the cache rows are bound as both past input and present
 * output, so keys and values are written in place and nothing is copied per step.
 */
public final class GqaModelRunner extends KvCacheBackedRunner {

    private final OnnxDecoderRunner runner;

    public GqaModelRunner(Path modelDir, DecoderConfig config, RunnerOptions options, CacheOptions cache) {
        super(cacheFor(config, cache));
        this.runner = new OnnxDecoderRunner(modelDir, config, options);
    }

    @Override
    public DecoderConfig config() {
        return runner.config();
    }

    @Override
    public String device() {
        return runner.device();
    }

    @Override
    public float[] prefill(int row, long[] tokens) {
        return runner.prefill(kv, row, tokens);
    }

    @Override
    public float[][] decode(long[] tokens, int[] pastLengths) {
        return runner.decode(kv, tokens, pastLengths);
    }

    @Override
    public void close() {
        kv.close();
        runner.close();
    }
}
