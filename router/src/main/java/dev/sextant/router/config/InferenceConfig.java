package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The chat model: run here, or on remote replicas. */
public interface InferenceConfig {
    /**
     * Base URLs of remote inference replicas, comma-separated (e.g. {@code http://gpu-0:8090,http://gpu-1:8090});
     * when set, this process runs no model itself and balances generation over them.
     */
    Optional<List<URI>> url();

    /**
     * A DNS name resolving to every inference replica, with the port: {@code inference-headless.ns.svc:8090} (a
     * Kubernetes headless Service). Re-resolved every {@code replicas.dns-refresh}; used together with {@code url}.
     */
    Optional<String> dnsName();

    /**
     * Bearer key sent to the remote replicas (their {@code SEXTANT_AUTH_ADMIN_KEY} or a key of theirs): an inference
     * service with keys configured refuses callers off loopback without one.
     */
    Optional<String> apiKey();

    /** Health checking and ejection of remote replicas. */
    ReplicasConfig replicas();

    /**
     * Model directory (genai_config.json, model.onnx, tokenizer files). Default: the prepared
     * SmolLM2-135M-Instruct int8 in the data dir ({@code ./sextant model prepare}), else the bundled
     * random-weight test decoder.
     */
    Optional<Path> modelDir();

    /** Model id reported by /v1/models and accepted in requests; default: the model directory's name. */
    Optional<String> modelId();

    /** ONNX Runtime intra-op threads for the decoder; 0 lets ONNX Runtime choose. */
    @WithDefault("0")
    @Min(0)
    int threads();

    /** {@code auto} (CUDA when the GPU build and libraries are present, else CPU), {@code cpu} or {@code cuda}. */
    @WithDefault("auto")
    @Pattern(regexp = "auto|cpu|cuda")
    String device();

    @WithDefault("0")
    @Min(0)
    int cudaDeviceId();

    /** Sequences decoded together at most (KV cache slots). */
    @WithDefault("16")
    @Min(1)
    @Max(256)
    int maxBatch();

    /** Prompt plus generated tokens of one sequence at most (capped by the model's context length). */
    @WithDefault("2048")
    @Min(16)
    int maxSeqLen();

    /** Memory for the KV cache; fewer than max-batch slots are made when it does not fit. */
    @WithDefault("1073741824")
    @Min(1)
    long kvCacheBytes();

    /** Prompt and decode tokens one engine step processes at most; bounds how long decodes stall for joins. */
    @WithDefault("2048")
    @Min(1)
    int maxTokensPerStep();

    /** Requests queued for the model at most (admitted at the next step); more are refused with 429. */
    @WithDefault("64")
    @Min(1)
    int maxWaiting();

    /** max_tokens when a request does not say. */
    @WithDefault("128")
    @Min(1)
    int defaultMaxTokens();

    @WithDefault("120s")
    Duration timeout();
}
