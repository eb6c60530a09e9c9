package dev.sextant.router.wiring;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.client.HttpInferenceClient;
import dev.sextant.inference.engine.EngineOptions;
import dev.sextant.inference.engine.InferenceEngine;
import dev.sextant.inference.runner.RunnerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import dev.sextant.ingestion.Ingestor;
import dev.sextant.rag.chunk.RecursiveSplitter;
import dev.sextant.rag.document.FileTypeDocumentLoader;
import dev.sextant.rag.retrieve.ContextBuilder;
import dev.sextant.rag.retrieve.Retriever;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.ExactCosineChunkStore;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import dev.sextant.rag.store.milvus.MilvusChunkStore;
import dev.sextant.router.cache.InMemoryResponseCache;
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
        return new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), config.embeddings().threads(),
                config.embeddings().maxBatch());
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
    ContextBuilder contextBuilder(SextantConfig config) {
        return new ContextBuilder(config.retrieval().contextChars());
    }

    @Produces
    @Singleton
    Ingestor ingestor(SextantConfig config, EmbeddingModel embeddings, ChunkStore store) {
        return new Ingestor(new FileTypeDocumentLoader(config.chunking().maxFileBytes()),
                new RecursiveSplitter(config.chunking().maxChars(), config.chunking().overlapChars()),
                embeddings, store);
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
    ResponseCache responseCache(SextantConfig config) {
        return new InMemoryResponseCache(config.cache().maxEntries(), config.cache().ttl());
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // shutting down: nothing useful to do with a close failure
        }
    }
}
