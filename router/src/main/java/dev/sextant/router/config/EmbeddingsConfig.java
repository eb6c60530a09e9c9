package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The embedding model: run here, or on a remote embeddings service. */
public interface EmbeddingsConfig {

    /**
     * Base URL of a remote embeddings service ({@code ./sextant embeddings}, or any OpenAI-compatible
     * /v1/embeddings) serving {@code model}; when set, this process only loads the model's tokenizer.
     */
    Optional<URI> url();

    /** Bearer key for the remote embeddings service, if it wants one. */
    Optional<String> apiKey();

    /** Longest wait for one remote embeddings call. */
    @WithDefault("10s")
    Duration timeout();
    /**
     * {@code all-minilm-l6-v2-q} (384 dimensions, 128 tokens), {@code bge-small-en-v1.5-q} (384 dimensions, 512
     * tokens; slower, better retrieval), both shipped in LangChain4j's jars, or a directory with {@code model.onnx}
     * and {@code tokenizer.json} (pooling from sentence-transformers' {@code 1_Pooling/config.json}).
     */
    @WithDefault("all-minilm-l6-v2-q")
    String model();

    /** ONNX Runtime threads per call; 0: cores / workers on CPU, ONNX Runtime's choice on CUDA. */
    @WithDefault("0")
    @Min(0)
    int threads();

    /** ONNX calls in flight at once; 0: one per core on CPU (measured fastest there), 1 on CUDA. */
    @WithDefault("0")
    @Min(0)
    @Max(64)
    int workers();

    /**
     * Texts per ONNX call, texts of concurrent requests batched together; 0: 1 on CPU (measured fastest for these
     * int8 encoders), 32 on CUDA. Quantized graphs are rewritten so batching never changes a vector.
     */
    @WithDefault("0")
    @Min(0)
    @Max(1024)
    int maxBatch();

    /** Padded tokens (texts x longest text) per ONNX call. */
    @WithDefault("8192")
    @Min(1)
    int maxBatchTokens();

    /** How long a batch waits for texts of requests still being tokenized; a lone request never waits. */
    @WithDefault("2ms")
    Duration maxWait();

    /** {@code cpu}, {@code cuda} or {@code auto}; CUDA needs the {@code -Pgpu} build, else falls back to CPU. */
    @WithDefault("cpu")
    @Pattern(regexp = "cpu|cuda|auto")
    String device();

    /** GPU ordinal for CUDA. */
    @WithDefault("0")
    @Min(0)
    int cudaDevice();
}
