package dev.sextant.embeddings.onnx;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an {@link OnnxEmbeddingModel} runs.
 *
 * <p>Zero means "choose for the device" ({@link #resolve}). Measured on 2 AVX-512 VNNI cores (see the module
 * README): the int8 encoders are compute-bound there, so one text per call on one core per worker beats batching
 * (padding and the batch-invariant rewrite cost more than larger GEMMs gain); batches pay off on a GPU.
 *
 * @param intraOpThreads ONNX Runtime threads per call; 0: cores / workers on CPU, ONNX Runtime's choice on CUDA
 * @param workers        ONNX calls in flight at once, each on its own batch; 0: one per core on CPU, 1 on CUDA
 * @param maxBatch       texts per ONNX call (texts of concurrent callers are batched together); 0: 1 on CPU,
 *                       32 on CUDA
 * @param maxBatchTokens padded tokens (rows x longest row) per ONNX call, bounds memory for long texts
 * @param maxWait        how long a batch waits for texts of other callers that are already on their way; a lone
 *                       caller never waits
 * @param device         {@code cpu}, {@code cuda} or {@code auto}: CUDA needs the onnxruntime_gpu artifact (Maven
 *                       profile {@code gpu}) and CUDA 12 + cuDNN 9 on the host; without them both fall back to CPU
 * @param cudaDevice     GPU ordinal for CUDA
 */
public record EmbedderOptions(int intraOpThreads, int workers, int maxBatch, int maxBatchTokens, Duration maxWait, String device,
                              int cudaDevice) {

    public EmbedderOptions {
        Objects.requireNonNull(maxWait, "maxWait");
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("workers must be >= 0, got " + workers);
        }
        if (maxBatch < 0) {
            throw new IllegalArgumentException("maxBatch must be >= 0, got " + maxBatch);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("maxBatchTokens must be positive, got " + maxBatchTokens);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
        }
        if (!List.of("cpu", "cuda", "auto").contains(device)) {
            throw new IllegalArgumentException("device must be cpu, cuda or auto, got '" + device + "'");
        }
        if (cudaDevice < 0) {
            throw new IllegalArgumentException("cudaDevice must be >= 0, got " + cudaDevice);
        }
    }

    /** CPU; threads, workers and batch size chosen for the device; at most 8192 padded tokens per call. */
    public static EmbedderOptions defaults() {
        return new EmbedderOptions(0, 0, 0, 8192, Duration.ofMillis(2), "cpu", 0);
    }

    /** These options with every "choose for me" zero replaced, for a session on {@code chosenDevice}. */
    public EmbedderOptions resolve(String chosenDevice, int cores) {
        boolean gpu = chosenDevice.startsWith("cuda");
        int resolvedWorkers = workers > 0 ? workers : gpu ? 1 : cores;
        int resolvedBatch = maxBatch > 0 ? maxBatch : gpu ? 32 : 1;
        int resolvedThreads = intraOpThreads > 0 || gpu ? intraOpThreads : Math.max(1, cores / resolvedWorkers);
        return new EmbedderOptions(resolvedThreads, resolvedWorkers, resolvedBatch, maxBatchTokens, maxWait, device,
                cudaDevice);
    }

    public EmbedderOptions withIntraOpThreads(int threads) {
        return new EmbedderOptions(threads, workers, maxBatch, maxBatchTokens, maxWait, device, cudaDevice);
    }

    public EmbedderOptions withWorkers(int count) {
        return new EmbedderOptions(intraOpThreads, count, maxBatch, maxBatchTokens, maxWait, device, cudaDevice);
    }

    public EmbedderOptions withMaxBatch(int texts) {
        return new EmbedderOptions(intraOpThreads, workers, texts, maxBatchTokens, maxWait, device, cudaDevice);
    }

    public EmbedderOptions withDevice(String newDevice, int newCudaDevice) {
        return new EmbedderOptions(intraOpThreads, workers, maxBatch, maxBatchTokens, maxWait, newDevice, newCudaDevice);
    }
}
