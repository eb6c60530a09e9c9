package dev.sextant.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every knob of the all-in-one server. Each key is also an environment variable: {@code sextant.retrieval.top-k}
 * is {@code SEXTANT_RETRIEVAL_TOP_K}. A value of the wrong type or out of range stops startup with the key named.
 */
@ConfigMapping(prefix = "sextant")
public interface SextantConfig {

    /** All state (chunk store, prepared models) lives here. Env {@code SEXTANT_DATA_DIR}. */
    @WithDefault("${user.home}/.sextant")
    Path dataDir();

    /** Tenant used when a request names none (no API keys yet). */
    @WithDefault("default")
    @NotBlank
    String defaultTenant();

    /**
     * What this process serves: {@code all} (router, retrieval, embeddings and inference in one JVM),
     * {@code inference} (only the OpenAI-compatible model API) or {@code embeddings} (only /v1/embeddings). Set by
     * the command ({@code serve}, {@code inference}, {@code embeddings}); see {@link Roles}.
     */
    @WithDefault("all")
    @Pattern(regexp = "all|inference|embeddings")
    String role();

    /** Load models and store during startup (off for CLI commands that need no chat model). */
    @WithDefault("true")
    boolean warmUp();

    Embeddings embeddings();

    Store store();

    interface Store {
        /**
         * {@code embedded}: Lucene (HNSW + BM25) in the data dir; {@code milvus}: a Milvus server (2.5+, or Milvus
         * Lite) at {@code milvus-uri}; {@code exact}: brute-force scan of one file in the data dir (small corpora,
         * reference results).
         */
        @WithDefault("embedded")
        @Pattern(regexp = "embedded|milvus|exact")
        String type();

        /** Milvus address for {@code type=milvus}. */
        @WithDefault("http://127.0.0.1:19530")
        String milvusUri();
    }

    Chunking chunking();

    Retrieval retrieval();

    Inference inference();

    Cache cache();

    Auth auth();

    Redis redis();

    Prices prices();

    /** Budgets of whole tenants: {@code sextant.tenants."acme".daily-budget-usd=20}. */
    java.util.Map<String, Tenant> tenants();

    interface Tenant {
        @WithDefault("0")
        @DecimalMin("0")
        double dailyBudgetUsd();

        @WithDefault("0")
        @DecimalMin("0")
        double monthlyBudgetUsd();
    }

    interface Auth {
        /**
         * Where API keys live: {@code file} ({@code keys.json} in the data dir, one machine) or {@code redis}
         * (shared by replicas; needs {@code sextant.redis.url}).
         */
        @WithDefault("file")
        @Pattern(regexp = "file|redis")
        String store();

        /** The admin key (plain text; give it through {@code SEXTANT_AUTH_ADMIN_KEY}); none: no admin key. */
        Optional<String> adminKey();

        /** Requests and tokens per minute, daily and monthly dollars given to a key created without its own. */
        @WithDefault("600")
        @Min(0)
        long defaultRequestsPerMinute();

        @WithDefault("200000")
        @Min(0)
        long defaultTokensPerMinute();

        @WithDefault("0")
        @DecimalMin("0")
        double defaultDailyBudgetUsd();

        @WithDefault("0")
        @DecimalMin("0")
        double defaultMonthlyBudgetUsd();
    }

    interface Redis {
        /** e.g. {@code redis://127.0.0.1:6379}; none: rate limits, budgets and keys stay in this process. */
        Optional<String> url();

        /** Longest wait for one Redis call; past it the call counts as failed. */
        @WithDefault("500ms")
        Duration timeout();

        /**
         * When Redis fails: {@code open} admits requests without limits and budgets (availability first) or
         * {@code closed} refuses them with 503.
         */
        @WithDefault("open")
        @Pattern(regexp = "open|closed")
        String failMode();
    }

    /** Dollars per million tokens, per model id; {@code default} applies to models not listed. */
    interface Prices {
        @WithDefault("0")
        @DecimalMin("0")
        double defaultPromptPerMillion();

        @WithDefault("0")
        @DecimalMin("0")
        double defaultCompletionPerMillion();

        @WithDefault("0")
        @DecimalMin("0")
        double defaultEmbeddingPerMillion();

        /** Per model: {@code sextant.prices.models."smollm2".prompt-per-million=0.05}. */
        java.util.Map<String, ModelPrice> models();

        interface ModelPrice {
            @WithDefault("0")
            @DecimalMin("0")
            double promptPerMillion();

            @WithDefault("0")
            @DecimalMin("0")
            double completionPerMillion();

            @WithDefault("0")
            @DecimalMin("0")
            double embeddingPerMillion();
        }
    }

    interface Embeddings {
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

    interface Chunking {
        /**
         * Chunk size in tokens of the embedding model's tokenizer; 0: the model's input limit minus 32 tokens for the
         * title and heading path the embedder sees with each chunk (96 for all-MiniLM-L6-v2, 480 for bge-small).
         */
        @WithDefault("0")
        @Min(0)
        int maxTokens();

        /** Tokens repeated from the end of one chunk at the start of the next (whole words). */
        @WithDefault("16")
        @Min(0)
        int overlapTokens();

        /** Larger files are reported and skipped. */
        @WithDefault("20000000")
        @Min(1)
        long maxFileBytes();
    }

    interface Retrieval {
        /** {@code hybrid} (dense and BM25, rank-fused), {@code dense} or {@code keyword}. */
        @WithDefault("hybrid")
        @Pattern(regexp = "hybrid|dense|keyword")
        String mode();

        /** Chunks put into a chat prompt. */
        @WithDefault("3")
        @Min(1)
        @Max(50)
        int topK();

        /** Chunks scoring below this cosine similarity are not used. */
        @WithDefault("0.0")
        @DecimalMin("-1.0")
        @DecimalMax("1.0")
        double minScore();

        /**
         * Tokens of context put into a chat prompt at most, counted with the embedder's tokenizer (a close stand-in
         * for the chat model's: both are subword tokenizers of English text; the inference service may be remote).
         */
        @WithDefault("768")
        @Min(32)
        int contextTokens();

        /** At most this many chunks of one document in a result, so one long page cannot crowd out the rest; 0: no limit. */
        @WithDefault("2")
        @Min(0)
        @Max(50)
        int maxPerSource();
    }

    interface Inference {
        /**
         * Base URL of a remote inference service (e.g. {@code http://inference:8090}); when set, this process runs
         * no model itself and sends generation there.
         */
        Optional<URI> url();

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

    interface Cache {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("10000")
        @Min(1)
        int maxEntries();

        @WithDefault("1h")
        Duration ttl();

        /** The semantic layer: answer a differently worded single-turn question from the cache. */
        @WithDefault("true")
        boolean semantic();

        /**
         * Cosine a cached question needs before the false-hit guard (negation, numbers, key terms, polar words)
         * looks at it; chosen on eval/corpora/cache-pairs (see router/README.md).
         */
        @WithDefault("0.90")
        @DecimalMin("0.5")
        @DecimalMax("1.0")
        double similarity();
    }
}
