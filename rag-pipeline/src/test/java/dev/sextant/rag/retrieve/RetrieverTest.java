package dev.sextant.rag.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.rerank.Reranker;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.ChunkStore.DocumentChunks;
import dev.sextant.rag.store.ChunkStore.EmbeddedChunk;
import dev.sextant.rag.store.ExactCosineChunkStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrieverTest {

    static OnnxEmbeddingModel embeddings;

    @BeforeAll
    static void load() {
        embeddings = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), EmbedderOptions.defaults());
    }

    @AfterAll
    static void close() {
        embeddings.close();
    }

    static DocumentChunks document(String source, String... texts) {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            chunks.add(new EmbeddedChunk(new Chunk(source + "#" + i, "t", source, source, List.of(), texts[i], i,
                    "hash-" + source), embeddings.embed(EmbeddingRequest.of(texts[i])).first()));
        }
        return new DocumentChunks("t", source, "hash-" + source, chunks);
    }

    @Test
    void atMostNChunksPerSourceStillFillsTopK(@TempDir Path dir) {
        var store = new ExactCosineChunkStore(dir, embeddings.dimension());
        store.replace(new ChunkStore.ReplaceRequest(List.of(
                document("vacuum.html", "VACUUM reclaims storage held by dead tuples.",
                        "VACUUM FULL rewrites the whole table to reclaim more space.",
                        "Autovacuum runs VACUUM automatically on busy tables.",
                        "VACUUM ANALYZE also updates planner statistics."),
                document("analyze.html", "ANALYZE collects statistics about table contents for the planner."),
                document("cluster.html", "CLUSTER reorders a table on disk by an index and reclaims space."))));
        var retriever = new Retriever(embeddings, store);
        var unlimited = retriever.retrieve(new RetrievalRequest("t", "how does vacuum reclaim space",
                ChunkStore.SearchMode.DENSE, 4, -1));
        assertThat(unlimited.matches().stream().filter(m -> m.chunk().source().equals("vacuum.html")).count())
                .as("without a limit one page takes most of the result").isGreaterThan(2);

        var limited = retriever.retrieve(new RetrievalRequest("t", "how does vacuum reclaim space",
                ChunkStore.SearchMode.DENSE, 4, -1, 2));
        List<String> sources = limited.matches().stream().map(m -> m.chunk().source()).toList();
        assertThat(sources).hasSize(4);
        assertThat(sources.stream().filter("vacuum.html"::equals).count()).isEqualTo(2);
        assertThat(sources).contains("analyze.html", "cluster.html");
        assertThat(limited.matches()).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
    }

    @Test
    void hybridRetrievalFusesTheStoresTwoRankingsLikeTheStoresOwnHybridSearch(@TempDir Path dir) {
        var store = new ExactCosineChunkStore(dir, embeddings.dimension());
        store.replace(new ChunkStore.ReplaceRequest(List.of(
                document("vacuum.html", "VACUUM reclaims storage held by dead tuples.",
                        "Autovacuum runs VACUUM automatically on busy tables."),
                document("analyze.html", "ANALYZE collects statistics about table contents for the planner."),
                document("cluster.html", "CLUSTER reorders a table on disk by an index and reclaims space."))));
        String query = "reclaim disk space from dead rows";
        var viaRetriever = new Retriever(embeddings, store).retrieve(new RetrievalRequest("t", query,
                ChunkStore.SearchMode.HYBRID, 3, -1));
        var viaStore = store.search(new ChunkStore.SearchRequest("t", query,
                embeddings.embed(EmbeddingRequest.of(query)).first(), ChunkStore.SearchMode.HYBRID, 3, -1));
        assertThat(viaRetriever.matches()).isEqualTo(viaStore.matches());

        var byPage = new Retriever(embeddings, store, new PageFusion()).retrieve(new RetrievalRequest("t", query,
                ChunkStore.SearchMode.HYBRID, 4, -1));
        assertThat(byPage.matches()).extracting(m -> m.chunk().source()).first().isEqualTo("vacuum.html");
        assertThat(byPage.matches()).hasSize(4);
    }

    @Test
    void aRerankerReordersTheFusedCandidatesOfAHybridSearchOnly(@TempDir Path dir) {
        var store = new ExactCosineChunkStore(dir, embeddings.dimension());
        store.replace(new ChunkStore.ReplaceRequest(List.of(
                document("vacuum.html", "VACUUM reclaims storage held by dead tuples."),
                document("analyze.html", "ANALYZE collects statistics about table contents for the planner."),
                document("cluster.html", "CLUSTER reorders a table on disk by an index and reclaims space."))));
        List<Reranker.RerankRequest> seen = new ArrayList<>();
        Reranker reversing = request -> {
            seen.add(request);
            return new Reranker.RerankResult(request.candidates().reversed());
        };
        var retriever = new Retriever(embeddings, store, new PageFusion(), reversing);
        String query = "reclaim disk space from dead rows";
        var fused = new Retriever(embeddings, store, new PageFusion()).retrieve(new RetrievalRequest("t", query,
                ChunkStore.SearchMode.HYBRID, 3, -1));
        var reranked = retriever.retrieve(new RetrievalRequest("t", query, ChunkStore.SearchMode.HYBRID, 3, -1));
        assertThat(reranked.matches()).isEqualTo(fused.matches().reversed());
        assertThat(seen).singleElement().satisfies(r -> {
            assertThat(r.query()).isEqualTo(query);
            assertThat(r.dense()).isNotEmpty();
            assertThat(r.keyword()).isNotEmpty();
        });
        // The evidence still comes from the searches, whatever order the reranker chose.
        assertThat(reranked.evidence().bestDense()).isEqualTo(fused.evidence().bestDense());

        retriever.retrieve(new RetrievalRequest("t", query, ChunkStore.SearchMode.DENSE, 3, -1));
        assertThat(seen).as("dense search is not reranked").hasSize(1);
    }

    @Test
    void aNegativePerSourceLimitIsRefused() {
        assertThatThrownBy(() -> new RetrievalRequest("t", "q", ChunkStore.SearchMode.HYBRID, 3, 0, -1))
                .hasMessageContaining("maxPerSource");
    }

    @Test
    void contextIsPackedUnderATokenBudgetWithNumberedMarkers() {
        List<ChunkStore.ScoredChunk> matches = new ArrayList<>();
        String[] texts = {"first short passage", "second passage " + "word ".repeat(100), "third short passage"};
        for (int i = 0; i < texts.length; i++) {
            matches.add(new ChunkStore.ScoredChunk(new Chunk("c" + i, "t", "s" + i + ".md", "S", List.of(),
                    texts[i], 0, "h"), 1.0 - i * 0.1));
        }
        var context = new ContextBuilder(40, embeddings::countTokens).build(matches);
        // The 100-word passage does not fit the 40-token budget: skipped whole, the next one still fits.
        assertThat(context.used()).extracting(m -> m.chunk().id()).containsExactly("c0", "c2");
        assertThat(context.text()).startsWith("[1] (s0.md) first short passage").contains("[2] (s2.md) third");
        assertThat(embeddings.countTokens(context.text())).isLessThanOrEqualTo(40);
        assertThatThrownBy(() -> new ContextBuilder(0, embeddings::countTokens)).hasMessageContaining("maxTokens");
    }
}
