package dev.sextant.router.wiring;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.client.HttpInferenceClient;
import dev.sextant.inference.engine.EngineOptions;
import dev.sextant.inference.engine.InferenceEngine;
import dev.sextant.inference.runner.RunnerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import dev.sextant.ingestion.Ingestor;
import dev.sextant.rag.chunk.ChunkLimits;
import dev.sextant.rag.chunk.RecursiveSplitter;
import dev.sextant.rag.chunk.TokenCounter;
import dev.sextant.rag.document.FileTypeDocumentLoader;
import dev.sextant.rag.retrieve.ContextBuilder;
import dev.sextant.rag.retrieve.Retriever;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.ExactCosineChunkStore;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import dev.sextant.rag.store.milvus.MilvusChunkStore;
import dev.sextant.router.cache.InProcessResponseCache;
import dev.sextant.router.cache.RedisResponseCache;
import dev.sextant.router.cache.ResponseCache;
import dev.sextant.router.config.SextantConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;

/** Builds the framework-free components of the other modules from {@link SextantConfig}. */
public class Components {

    @Produces
    @Singleton
    EmbeddingModel embeddingModel(SextantConfig config) {
        SextantConfig.Embeddings embeddings = config.embeddings();
        return new OnnxEmbeddingModel(EncoderSpec.forModel(embeddings.model()),
                new EmbedderOptions(embeddings.threads(), embeddings.workers(), embeddings.maxBatch(), embeddings.maxBatchTokens(),
                        embeddings.maxWait(), embeddings.device(), embeddings.cudaDevice()));
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
            default -> new LuceneChunkStore(config.dataDir().resolve("index").resolve(embeddings.name()),
                    embeddings.dimension());
        };
    }

    void closeChunkStore(@Disposes ChunkStore store) {
        if (store instanceof AutoCloseable closeable) {
            closeQuietly(closeable);
        }
    }

    @Produces
    @Singleton
    Retriever retriever(EmbeddingModel embeddings, ChunkStore store) {
        return new Retriever(embeddings, store);
    }

    @Produces
    @Singleton
    ContextBuilder contextBuilder(SextantConfig config, EmbeddingModel embeddings) {
        return new ContextBuilder(config.retrieval().contextTokens(), tokenCounter(embeddings));
    }

    @Produces
    @Singleton
    Ingestor ingestor(SextantConfig config, EmbeddingModel embeddings, ChunkStore store) {
        return new Ingestor(new FileTypeDocumentLoader(config.chunking().maxFileBytes()),
                splitter(config.chunking(), embeddings), embeddings, store);
    }

    /** Chunks sized in the embedder's own tokens, so no chunk text is cut off when it is embedded. */
    static RecursiveSplitter splitter(SextantConfig.Chunking chunking, EmbeddingModel embeddings) {
        OnnxEmbeddingModel model = onnx(embeddings);
        int maxTokens = chunking.maxTokens() > 0 ? chunking.maxTokens() : Math.max(16, model.maxTokens() - 32);
        if (chunking.overlapTokens() >= maxTokens) {
            throw new IllegalArgumentException("sextant.chunking.overlap-tokens (" + chunking.overlapTokens()
                    + ") must be smaller than the chunk size (" + maxTokens + " tokens)");
        }
        return new RecursiveSplitter(new ChunkLimits(maxTokens, chunking.overlapTokens()), tokenCounter(model));
    }

    static TokenCounter tokenCounter(EmbeddingModel embeddings) {
        return onnx(embeddings)::countTokens;
    }

    private static OnnxEmbeddingModel onnx(EmbeddingModel embeddings) {
        if (embeddings instanceof OnnxEmbeddingModel model) {
            return model;
        }
        throw new IllegalStateException("token counting needs the ONNX embedder's tokenizer, got "
                + embeddings.getClass().getName());
    }

    @Produces
    @Singleton
    InferenceClient inferenceClient(SextantConfig config, MeterRegistry registry) {
        if (config.inference().url().isPresent()) {
            return new HttpInferenceClient(config.inference().url().get(), Duration.ofSeconds(5));
        }
        Path modelDir = config.inference().modelDir().orElseGet(() -> DefaultModel.locate(config.dataDir()));
        var inference = config.inference();
        String modelId = inference.modelId().orElse(modelDir.getFileName().toString());
        return new InferenceEngine(modelDir, new EngineOptions(modelId,
                new RunnerOptions(inference.threads(), inference.device(), inference.cudaDeviceId()),
                inference.maxWaiting(), inference.maxBatch(), inference.maxSeqLen(), inference.kvCacheBytes(),
                inference.maxTokensPerStep()), registry);
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
