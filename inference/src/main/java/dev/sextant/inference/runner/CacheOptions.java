package dev.sextant.inference.runner;

/**
 * @param maxBatch    cache rows at most
 * @param maxSeqLen   tokens one row holds (capped by the model's context length)
 * @param budgetBytes memory for the cache; fewer rows are made when {@code maxBatch} rows do not fit
 */
public record CacheOptions(int maxBatch, int maxSeqLen, long budgetBytes) {
}
