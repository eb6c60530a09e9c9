package dev.sextant.inference.engine;

import dev.sextant.inference.runner.RunnerOptions;

/**
 * @param modelId          name reported by {@code /v1/models} and accepted in requests
 * @param runner           ONNX Runtime threads and device
 * @param maxWaiting       queued requests beyond this are refused (429)
 * @param maxBatch         sequences decoded together at most (cache slots)
 * @param maxSeqLen        prompt plus generated tokens of one sequence at most (at most the model's context)
 * @param kvCacheBytes     memory for the KV cache; fewer slots than maxBatch are made if it is smaller
 * @param maxTokensPerStep prompt and decode tokens one step processes at most (see the scheduler)
 */
public record EngineOptions(String modelId, RunnerOptions runner, int maxWaiting, int maxBatch, int maxSeqLen,
                            long kvCacheBytes, int maxTokensPerStep) {
}
