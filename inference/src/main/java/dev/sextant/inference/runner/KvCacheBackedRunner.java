package dev.sextant.inference.runner;

import dev.sextant.inference.kvcache.KvCacheManager;

/** The slot bookkeeping every runner shares: rows live in a {@link KvCacheManager}. */
abstract class KvCacheBackedRunner implements ModelRunner {

    protected final KvCacheManager kv;

    protected KvCacheBackedRunner(KvCacheManager kv) {
        this.kv = kv;
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

    static KvCacheManager cacheFor(dev.sextant.inference.model.DecoderConfig config, CacheOptions cache) {
        return KvCacheManager.forBudget(config, cache.budgetBytes(),
                Math.min(cache.maxSeqLen(), config.contextLength()), cache.maxBatch());
    }
}
