package dev.sextant.inference.runner;

import dev.sextant.inference.kvcache.KvCacheManager;
import dev.sextant.inference.model.DecoderConfig;
import java.nio.file.Path;

/**
 * onnxruntime-genai builder graphs (GroupQueryAttention): the cache rows are bound as both past input and present
 * output, so keys and values are written in place and nothing is copied per step.
 */
public final class GqaModelRunner implements ModelRunner {

    private final OnnxDecoderRunner runner;
    private final KvCacheManager kv;

    public GqaModelRunner(Path modelDir, DecoderConfig config, RunnerOptions options, CacheOptions cache) {
        this.runner = new OnnxDecoderRunner(modelDir, config, options);
        this.kv = KvCacheManager.forBudget(config, cache.budgetBytes(),
                Math.min(cache.maxSeqLen(), config.contextLength()), cache.maxBatch());
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
    public int slots() {
        return kv.slots();
    }

    @Override
    public int maxSeqLen() {
        return kv.maxSeqLen();
    }

    @Override
    public int active() {
        return kv.active();
    }

    @Override
    public long cacheBytes() {
        return kv.capacityBytes();
    }

    @Override
    public int allocate() {
        return kv.allocate();
    }

    @Override
    public int free(int row, int lastRowLength) {
        return kv.free(row, lastRowLength);
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
