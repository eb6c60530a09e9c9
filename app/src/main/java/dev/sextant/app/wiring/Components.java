package dev.sextant.app.wiring;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.TokenEmbeddings;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.EncoderTokenizer;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.engine.EngineOptions;
import dev.sextant.inference.engine.InferenceEngine;
import dev.sextant.inference.runner.RunnerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import dev.sextant.ingestion.Ingestor;
import dev.sextant.rag.chunk.ChunkingPolicy;
import dev.sextant.rag.chunk.RecursiveSplitter;
import dev.sextant.rag.conversation.QueryRewriter;
import dev.sextant.rag.document.FileTypeDocumentLoader;
import dev.sextant.rag.retrieve.ContextBuilder;
import dev.sextant.rag.retrieve.ChunkFusion;
import dev.sextant.rag.retrieve.Fusion;
import dev.sextant.rag.retrieve.PageFusion;
import dev.sextant.rag.rerank.LearnedReranker;
import dev.sextant.rag.rerank.MaxSimReranker;
import dev.sextant.rag.rerank.Reranker;
import dev.sextant.rag.retrieve.Retriever;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.ExactCosineChunkStore;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import dev.sextant.rag.store.milvus.MilvusChunkStore;
import dev.sextant.router.balance.ReplicaPool;
import dev.sextant.router.balance.ReplicaSource;
import dev.sextant.router.cache.InProcessResponseCache;
import dev.sextant.router.cache.RedisResponseCache;
import dev.sextant.router.cache.ResponseCache;
import dev.sextant.router.chat.InferenceChatModel;
import dev.sextant.router.config.ChunkingConfig;
import dev.sextant.router.config.EmbeddingsConfig;
import dev.sextant.app.wiring.Roles;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.resilience.GuardedEmbeddingModel;
import dev.sextant.router.resilience.GuardedInferenceClient;
import dev.sextant.router.resilience.Hops;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Builds the framework-free components of the other modules from {@link SextantConfig}. */
public class Components {

    /**
     * The embedding model as ingestion and stores use it: in this process, or the remote embeddings service when
     * {@code sextant.embeddings.url} is set. Requests go through {@link #guardedEmbeddingModel} instead.
     */
    @Produces
    @Singleton
    EmbeddingModel embeddingModel(SextantConfig config) {
        EmbeddingsConfig embeddings = config.embeddings();
        if (embeddings.url().isPresent()) {
            return RemoteEmbeddings.connect(embeddings);
        }
        return new OnnxEmbeddingModel(EncoderSpec.forModel(embeddings.model()),
                new EmbedderOptions(embeddings.threads(), embeddings.workers(), embeddings.maxBatch(),
                        embeddings.maxBatchTokens(), embeddings.maxWait(), embeddings.device(),
                        embeddings.cudaDevice()));
    }

    /** The embedding model behind the embeddings hop's timeout, retries, circuit breaker and bulkhead. */
    @Produces
    @Singleton
    @Typed(GuardedEmbeddingModel.class)
    GuardedEmbeddingModel guardedEmbeddingModel(EmbeddingModel embeddings, Hops hops) {
        return new GuardedEmbeddingModel(embeddings, hops);
    }

    /** Tokens as the embedding model counts them, for chunk sizes and context budgets (no truncation). */
    @Produces
    @Singleton
    EmbedderTokens embedderTokens(SextantConfig config, EmbeddingModel embeddings) {
        if (embeddings instanceof OnnxEmbeddingModel local) {
            return new EmbedderTokens(local::countTokens, local.maxTokens(), null);
        }
        EncoderTokenizer tokenizer = EncoderTokenizer.forModel(config.embeddings().model());
        return new EmbedderTokens(tokenizer::countTokens, tokenizer.maxTokens(), tokenizer);
    }

    void closeEmbedderTokens(@Disposes EmbedderTokens tokens) {
        if (tokens.owned() != null) {
            closeQuietly(tokens.owned());
        }
    }

    void closeEmbeddingModel(@Disposes EmbeddingModel model) {
        if (model instanceof AutoCloseable closeable) {
            closeQuietly(closeable);
        }
    }

    @Produces
    @Singleton
    ChunkStore chunkStore(SextantConfig config, EmbeddingModel embeddings) {
        // One store per embedding model: vectors of different models must never be compared.
        return switch (config.store().type()) {
            case "milvus" -> MilvusChunkStore.connect(config.store().milvusUri(), embeddings.dimension());
            case "exact" -> new ExactCosineChunkStore(config.dataDir().resolve("store").resolve(embeddings.name()),
                    embeddings.dimension());
            // The layout is part of the name: a version that lays chunks out anew builds its own index.
            default -> new LuceneChunkStore(config.dataDir().resolve("index")
                    .resolve(LuceneChunkStore.directoryName(embeddings.name())), embeddings.dimension());
        };
    }

    void closeChunkStore(@Disposes ChunkStore store) {
        if (store instanceof AutoCloseable closeable) {
            closeQuietly(closeable);
        }
    }

    /** The store search; requests reach it through {@link dev.sextant.router.resilience.GuardedRetriever}. */
    @Produces
    @Singleton
    Retriever retriever(EmbeddingModel embeddings, ChunkStore store, SextantConfig config, EmbedderTokens tokens) {
        Fusion fusion = config.retrieval().fusion().equals("chunk") ? new ChunkFusion() : new PageFusion();
        return new Retriever(embeddings, store, fusion, reranker(config.retrieval().rerank(), embeddings),
                tokens.counter());
    }

    /** {@code sextant.retrieval.rerank}; MaxSim needs token vectors, which only the local embedder gives. */
    static Reranker reranker(String name, EmbeddingModel embeddings) {
        return switch (name) {
            case "none" -> Reranker.NONE;
            case "learned" -> LearnedReranker.shipped(embeddings instanceof TokenEmbeddings tokens
                    ? new MaxSimReranker(tokens) : null);
            case "maxsim" -> {
                if (!(embeddings instanceof TokenEmbeddings tokens)) {
                    throw new IllegalStateException("sextant.retrieval.rerank=maxsim needs the embedder's token "
                            + "vectors, which a remote embeddings service (sextant.embeddings.url) does not send: "
                            + "use rerank=learned or none, or the local embedder");
                }
                yield new MaxSimReranker(tokens);
            }
            default -> throw new IllegalArgumentException("unknown sextant.retrieval.rerank: " + name);
        };
    }

    /**
     * What a conversation is searched with ({@code sextant.retrieval.rewrite}); the model condenser generates
     * through the inference hop like an answer does, asked for only when {@code model} is configured.
     */
    @Produces
    @Singleton
    QueryRewriter queryRewriter(SextantConfig config, Instance<InferenceClient> inference) {
        return QueryRewriter.named(config.retrieval().rewrite(), () -> new InferenceChatModel(inference.get(),
                CONDENSE_TIMEOUT));
    }

    /** A rewrite that takes longer than this is worth less than the fold it falls back to. */
    static final Duration CONDENSE_TIMEOUT = Duration.ofSeconds(10);

    @Produces
    @Singleton
    ContextBuilder contextBuilder(SextantConfig config, EmbedderTokens tokens) {
        return new ContextBuilder(config.retrieval().contextTokens(), tokens.counter());
    }

    @Produces
    @Singleton
    Ingestor ingestor(SextantConfig config, EmbeddingModel embeddings, EmbedderTokens tokens, ChunkStore store) {
        return new Ingestor(new FileTypeDocumentLoader(config.chunking().maxFileBytes()),
                splitter(config.chunking(), tokens), embeddings, store);
    }

    /**
     * Chunks sized in the embedder's own tokens by {@link ChunkingPolicy} (its defaults are the config's), each text
     * shortened as its title and heading line needs, so that no embedding input (line + text) is cut off by the model.
     */
    static RecursiveSplitter splitter(ChunkingConfig chunking, EmbedderTokens tokens) {
        return ChunkingPolicy.of(chunking.maxTokens(), chunking.overlapTokens(), chunking.headingPrefix())
                .splitter(tokens.modelLimit(), tokens.counter());
    }

    /**
     * Generation behind the inference hop's guard: remote replicas (balanced, health-checked) when
     * {@code sextant.inference.url} or {@code dns-name} is set, else the model in this process.
     */
    @Produces
    @Singleton
    InferenceClient inferenceClient(SextantConfig config, MeterRegistry registry, Hops hops) {
        var inference = config.inference();
        if (Roles.remoteInference(config)) {
            List<URI> urls = inference.url().orElse(List.of());
            ReplicaSource source = inference.dnsName().map(dns -> ReplicaSource.dns(dns, urls))
                    .orElseGet(() -> ReplicaSource.fixed(urls));
            var replicas = inference.replicas();
            return new GuardedInferenceClient(new ReplicaPool(source, new ReplicaPool.Policy(
                    replicas.healthInterval(), replicas.healthTimeout(), replicas.ejectAfterFailures(),
                    replicas.returnAfterPasses(), replicas.failoverAttempts(), replicas.dnsRefresh(),
                    replicas.connectTimeout(), inference.apiKey().orElse(null)), registry), hops);
        }
        if (config.role().equals("router")) {
            throw new IllegalStateException("./sextant router runs no model: set sextant.inference.url "
                    + "(SEXTANT_INFERENCE_URL, comma-separated replicas) or sextant.inference.dns-name");
        }
        Path modelDir = inference.modelDir().orElseGet(() -> DefaultModel.locate(config.dataDir()));
        String modelId = inference.modelId().orElse(modelDir.getFileName().toString());
        return new GuardedInferenceClient(new InferenceEngine(modelDir, new EngineOptions(modelId,
                new RunnerOptions(inference.threads(), inference.device(), inference.cudaDeviceId()),
                inference.maxWaiting(), inference.maxBatch(), inference.maxSeqLen(), inference.kvCacheBytes(),
                inference.maxTokensPerStep()), registry), hops);
    }

    void closeInferenceClient(@Disposes InferenceClient client) {
        if (client instanceof AutoCloseable closeable) {
            closeQuietly(closeable);
        }
    }

    @Produces
    @Singleton
    ResponseCache responseCache(SextantConfig config, AdmissionComponents.RedisAccess redis) {
        return redis.scripts().<ResponseCache>map(r -> new RedisResponseCache(r, config.cache().ttl()))
                .orElseGet(() -> new InProcessResponseCache(config.cache().maxEntries(), config.cache().ttl()));
    }

    void closeResponseCache(@Disposes ResponseCache cache) {
        if (cache instanceof AutoCloseable closeable) {
            closeQuietly(closeable);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // shutting down: nothing useful to do with a close failure
        }
    }
}
