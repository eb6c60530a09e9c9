package dev.sextant.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.Map;

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
     * {@code router} (the public API, retrieval and cache; generation and optionally embeddings on remote
     * services), {@code inference} (only the OpenAI-compatible model API) or {@code embeddings} (only
     * /v1/embeddings). Set by the command ({@code serve}, {@code router}, {@code inference}, {@code embeddings});
     * see {@link Roles}.
     */
    @WithDefault("all")
    @Pattern(regexp = "all|router|inference|embeddings")
    String role();

    /** Load models and store during startup (off for CLI commands that need no chat model). */
    @WithDefault("true")
    boolean warmUp();

    EmbeddingsConfig embeddings();

    StoreConfig store();

    ChunkingConfig chunking();

    RetrievalConfig retrieval();

    AnswerabilityConfig answerability();

    InferenceConfig inference();

    CacheConfig cache();

    AuthConfig auth();

    RedisConfig redis();

    PricesConfig prices();

    /** Timeouts, retries, circuit breakers and bulkheads around each hop of a request. */
    HopsConfig hops();

    /** Budgets of whole tenants: {@code sextant.tenants."acme".daily-budget-usd=20}. */
    Map<String, TenantConfig> tenants();

}
