package dev.sextant.rag.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.store.ChunkStore.DocumentChunks;
import dev.sextant.rag.store.ChunkStore.EmbeddedChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExactCosineChunkStoreTest {

    @TempDir
    Path dir;

    static EmbeddedChunk chunk(String tenant, String source, int ordinal, float... vector) {
        return new EmbeddedChunk(new Chunk(tenant + source + ordinal, tenant, source, "T", List.of("h"),
                "text " + ordinal, ordinal, "hash-" + source), vector);
    }

    static DocumentChunks doc(String tenant, String source, EmbeddedChunk... chunks) {
        return new DocumentChunks(tenant, source, "hash-" + source, List.of(chunks));
    }

    static ChunkStore.SearchRequest query(String tenant, int topK, float... v) {
        return ChunkStore.SearchRequest.dense(tenant, v, topK, -1);
    }

    @Test
    void searchRanksByCosineWithinTheTenantOnly() {
        var store = new ExactCosineChunkStore(dir, 3);
        store.replace(new ChunkStore.ReplaceRequest(List.of(
                doc("a", "x.md", chunk("a", "x.md", 0, 1, 0, 0), chunk("a", "x.md", 1, 0.7f, 0.7f, 0)),
                doc("a", "y.md", chunk("a", "y.md", 0, 0, 0, 1)),
                doc("b", "z.md", chunk("b", "z.md", 0, 1, 0, 0)))));
        var result = store.search(query("a", 2, 2, 0, 0)).matches();
        assertThat(result).extracting(m -> m.chunk().id()).containsExactly("ax.md0", "ax.md1");
        assertThat(result.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(store.search(query("b", 10, 0, 0, 1)).matches()).extracting(m -> m.chunk().tenant())
                .containsOnly("b");
        assertThat(store.search(query("nobody", 10, 1, 0, 0)).matches()).isEmpty();
    }

    @Test
    void replacingADocumentSwapsAllItsChunksAndNeverDuplicates() {
        var store = new ExactCosineChunkStore(dir, 2);
        store.replace(new ChunkStore.ReplaceRequest(List.of(doc("a", "x", chunk("a", "x", 0, 1, 0),
                chunk("a", "x", 1, 0, 1)))));
        var result = store.replace(new ChunkStore.ReplaceRequest(List.of(doc("a", "x", chunk("a", "x", 5, 1, 1)))));
        assertThat(result.chunksRemoved()).isEqualTo(2);
        assertThat(store.chunksBySource("a").get("x")).extracting(Chunk::ordinal).containsExactly(5);
        store.replace(new ChunkStore.ReplaceRequest(List.of(doc("a", "x", chunk("a", "x", 5, 1, 1)))));
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void deleteRemovesOnlyTheNamedSourcesOfTheTenant() {
        var store = new ExactCosineChunkStore(dir, 2);
        store.replace(new ChunkStore.ReplaceRequest(List.of(doc("a", "x", chunk("a", "x", 0, 1, 0)),
                doc("a", "y", chunk("a", "y", 0, 1, 0)), doc("b", "x", chunk("b", "x", 0, 1, 0)))));
        assertThat(store.delete(new ChunkStore.DeleteRequest("a", List.of("x"))).chunksRemoved()).isEqualTo(1);
        assertThat(store.documents(new ChunkStore.DocumentListingRequest("a")).hashBySource()).containsOnlyKeys("y");
        assertThat(store.documents(new ChunkStore.DocumentListingRequest("b")).hashBySource()).containsOnlyKeys("x");
    }

    @Test
    void anotherInstanceOnTheSameDirectorySeesWritesAndRestartsKeepThem() {
        var reader = new ExactCosineChunkStore(dir, 2);
        assertThat(reader.size()).isZero();
        var writer = new ExactCosineChunkStore(dir, 2);
        writer.replace(new ChunkStore.ReplaceRequest(List.of(doc("a", "x", chunk("a", "x", 0, 1, 0)))));
        assertThat(reader.search(query("a", 5, 1, 0)).matches()).hasSize(1);
        writer.replace(new ChunkStore.ReplaceRequest(List.of(doc("a", "y", chunk("a", "y", 0, 0, 1)))));
        assertThat(new ExactCosineChunkStore(dir, 2).documents(new ChunkStore.DocumentListingRequest("a"))
                .hashBySource()).containsOnlyKeys("x", "y");
    }

    @Test
    void keywordSearchRanksByBm25AndHybridFusesBothRankings() {
        var store = new ExactCosineChunkStore(dir, 2);
        store.replace(new ChunkStore.ReplaceRequest(List.of(
                doc("a", "heap", keywordChunk("a", "heap", "heapq keeps a binary heap; heappush adds", 1, 0)),
                doc("a", "vacuum", keywordChunk("a", "vacuum", "vacuum reclaims dead tuples", 0, 1)),
                doc("a", "mixed", keywordChunk("a", "mixed", "a heap of dead leaves", 0.7f, 0.7f)))));
        var keyword = store.search(new ChunkStore.SearchRequest("a", "binary heap", null,
                ChunkStore.SearchMode.KEYWORD, 5, -1)).matches();
        assertThat(keyword).extracting(m -> m.chunk().source()).containsExactly("heap", "mixed");
        // "mixed" is nearest to the vector and matches both query words: first in both lists, first fused.
        var hybrid = store.search(new ChunkStore.SearchRequest("a", "dead heap", new float[] {0.6f, 0.8f},
                ChunkStore.SearchMode.HYBRID, 3, -1)).matches();
        assertThat(hybrid.get(0).chunk().source()).isEqualTo("mixed");
        assertThat(hybrid).hasSize(3);
        assertThat(store.search(new ChunkStore.SearchRequest("b", "heap", null, ChunkStore.SearchMode.KEYWORD, 5,
                -1)).matches()).as("other tenant").isEmpty();
    }

    static EmbeddedChunk keywordChunk(String tenant, String source, String text, float... vector) {
        return new EmbeddedChunk(new Chunk(tenant + source, tenant, source, "T", List.of(), text, 0,
                "hash-" + source), vector);
    }

    @Test
    void wrongDimensionsAndForeignChunksAreRefused() throws Exception {
        var store = new ExactCosineChunkStore(dir, 2);
        assertThatThrownBy(() -> store.search(query("a", 1, 1, 0, 0))).hasMessageContaining("3 dimensions");
        assertThatThrownBy(() -> store.replace(new ChunkStore.ReplaceRequest(List.of(
                doc("a", "x", chunk("b", "x", 0, 1, 0)))))).hasMessageContaining("does not belong");
        store.replace(new ChunkStore.ReplaceRequest(List.of(doc("a", "x", chunk("a", "x", 0, 1, 0)))));
        assertThatThrownBy(() -> new ExactCosineChunkStore(dir, 3)).hasMessageContaining("re-ingest");
        Files.writeString(dir.resolve("chunks.bin"), "garbage!");
        assertThatThrownBy(() -> new ExactCosineChunkStore(dir, 2)).hasMessageContaining("chunk");
    }
}
