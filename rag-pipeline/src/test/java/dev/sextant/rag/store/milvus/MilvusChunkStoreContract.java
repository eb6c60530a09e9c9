package dev.sextant.rag.store.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.ChunkStore.DeleteRequest;
import dev.sextant.rag.store.ChunkStore.DocumentChunks;
import dev.sextant.rag.store.ChunkStore.DocumentListingRequest;
import dev.sextant.rag.store.ChunkStore.EmbeddedChunk;
import dev.sextant.rag.store.ChunkStore.ReplaceRequest;
import dev.sextant.rag.store.ChunkStore.ReplaceResult;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.rag.store.ChunkStore.SearchMode;
import dev.sextant.rag.store.ChunkStore.SearchRequest;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every Milvus server the store runs against must satisfy; subclasses say where the server is. Each test
 * gets its own collection, dropped afterwards, so tests neither see each other's rows nor leave any behind.
 */
abstract class MilvusChunkStoreContract {

    static final int DIM = 4;

    MilvusClientV2 client;
    MilvusChunkStore store;
    String collection;

    abstract String uri();

    /** Whether the server honours a radius (minScore) inside hybrid sub-searches; Milvus Lite 3.2.2 drops it. */
    abstract boolean rangeSearchInHybrid();

    @BeforeEach
    void openStore() {
        client = new MilvusClientV2(ConnectConfig.builder().uri(uri()).build());
        collection = "sextant_test_" + System.nanoTime();
        store = new MilvusChunkStore(client, collection, DIM);
    }

    @AfterEach
    void dropCollection() {
        if (client != null) {
            try {
                client.dropCollection(DropCollectionReq.builder().collectionName(collection).build());
            } finally {
                store.close();
                client.close();
            }
        }
    }

    static EmbeddedChunk chunk(String tenant, String source, int ordinal, String text, float... vector) {
        return new EmbeddedChunk(new Chunk(id(tenant, source, ordinal), tenant, source, "Title " + source,
                List.of("Part", "Section " + ordinal), text, ordinal, "hash-" + source), vector);
    }

    /** Readable for plain tenants; tenants with quotes are hashed because ids must not contain quotes. */
    static String id(String tenant, String source, int ordinal) {
        String owner = tenant.matches("[a-z]+") ? tenant : Integer.toHexString(tenant.hashCode());
        return owner + "/" + source + "#" + ordinal;
    }

    static DocumentChunks doc(String tenant, String source, String hash, EmbeddedChunk... chunks) {
        return new DocumentChunks(tenant, source, hash, List.of(chunks));
    }

    ReplaceResult replace(DocumentChunks... docs) {
        return store.replace(new ReplaceRequest(List.of(docs)));
    }

    List<ScoredChunk> search(String tenant, SearchMode mode, String text, int topK, float... vector) {
        return store.search(new SearchRequest(tenant, text, mode == SearchMode.KEYWORD ? null : vector, mode, topK,
                -1)).matches();
    }

    /** Every chunk of the tenant (dense search with a generous topK and no score floor). */
    List<String> allIds(String tenant) {
        return search(tenant, SearchMode.DENSE, null, 100, 1, 1, 1, 1).stream().map(m -> m.chunk().id()).sorted()
                .toList();
    }

    static List<String> ids(List<ScoredChunk> matches) {
        return matches.stream().map(m -> m.chunk().id()).toList();
    }

    @Test
    void replaceUpsertsAndRemovesStaleChunksOfTheDocument() {
        DocumentChunks v1 = doc("t", "a.md", "h1", chunk("t", "a.md", 0, "alpha one", 1, 0, 0, 0),
                chunk("t", "a.md", 1, "alpha two", 0, 1, 0, 0), chunk("t", "a.md", 2, "alpha three", 0, 0, 1, 0));
        assertThat(replace(v1, doc("t", "b.md", "hb", chunk("t", "b.md", 0, "beta", 0, 0, 0, 1))))
                .isEqualTo(new ReplaceResult(2, 4, 0));
        // Same ids again: overwritten, not duplicated.
        assertThat(replace(v1)).isEqualTo(new ReplaceResult(1, 3, 3));
        assertThat(allIds("t")).containsExactly("t/a.md#0", "t/a.md#1", "t/a.md#2", "t/b.md#0");

        // A shorter, edited version: chunk 2 must go, chunk 0's text must change, b.md is untouched.
        assertThat(replace(doc("t", "a.md", "h2", chunk("t", "a.md", 0, "alpha edited", 1, 0, 0, 0),
                chunk("t", "a.md", 1, "alpha two", 0, 1, 0, 0)))).isEqualTo(new ReplaceResult(1, 2, 3));
        assertThat(allIds("t")).containsExactly("t/a.md#0", "t/a.md#1", "t/b.md#0");
        ScoredChunk top = search("t", SearchMode.DENSE, null, 1, 1, 0, 0, 0).get(0);
        assertThat(top.chunk()).isEqualTo(new Chunk("t/a.md#0", "t", "a.md", "Title a.md",
                List.of("Part", "Section 0"), "alpha edited", 0, "hash-a.md"));
        assertThat(top.score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));

        // An empty chunk list removes the document.
        assertThat(replace(doc("t", "a.md", "h3"))).isEqualTo(new ReplaceResult(1, 0, 2));
        assertThat(allIds("t")).containsExactly("t/b.md#0");
    }

    @Test
    void deleteAndDocumentListingAreScopedToTheTenant() {
        replace(doc("t", "a.md", "ha", chunk("t", "a.md", 0, "a", 1, 0, 0, 0), chunk("t", "a.md", 1, "a", 0, 1, 0, 0)),
                doc("t", "b.md", "hb", chunk("t", "b.md", 0, "b", 0, 0, 1, 0)),
                doc("u", "a.md", "hu", chunk("u", "a.md", 0, "a", 1, 0, 0, 0)));
        assertThat(store.documents(new DocumentListingRequest("t")).hashBySource())
                .isEqualTo(Map.of("a.md", "hash-a.md", "b.md", "hash-b.md"));
        assertThat(store.documents(new DocumentListingRequest("t", java.util.Set.of("b.md", "gone.md")))
                .hashBySource()).isEqualTo(Map.of("b.md", "hash-b.md"));

        assertThat(store.delete(new DeleteRequest("t", List.of("a.md", "missing.md"))).chunksRemoved()).isEqualTo(2);
        assertThat(store.documents(new DocumentListingRequest("t")).hashBySource())
                .isEqualTo(Map.of("b.md", "hash-b.md"));
        assertThat(store.documents(new DocumentListingRequest("u")).hashBySource()).containsOnlyKeys("a.md");
        assertThat(store.documents(new DocumentListingRequest("nobody")).hashBySource()).isEmpty();
        assertThat(store.delete(new DeleteRequest("t", List.of())).chunksRemoved()).isZero();
    }

    @Test
    void documentListingSeesEveryDocumentBeyondOneQueryPage() {
        // More rows than one iterator batch (1,000), so paging must neither drop nor repeat documents.
        DocumentChunks[] docs = new DocumentChunks[300];
        for (int d = 0; d < docs.length; d++) {
            String source = "doc-" + d + ".md";
            EmbeddedChunk[] chunks = new EmbeddedChunk[5];
            for (int c = 0; c < chunks.length; c++) {
                chunks[c] = chunk("t", source, c, "text " + d + " " + c, 1, d, c, 1);
            }
            docs[d] = doc("t", source, "h", chunks);
        }
        assertThat(replace(docs).chunksWritten()).isEqualTo(1500);
        assertThat(store.documents(new DocumentListingRequest("t")).hashBySource()).hasSize(300);
        assertThat(store.delete(new DeleteRequest("t", List.of("doc-0.md", "doc-299.md"))).chunksRemoved())
                .isEqualTo(10);
        assertThat(store.documents(new DocumentListingRequest("t")).hashBySource()).hasSize(298)
                .doesNotContainKeys("doc-0.md", "doc-299.md");
    }

    @Test
    void tenantsNeverSeeEachOthersChunksInAnyMode() {
        String quoted = "acme \"quoted\" \\ tenant";
        // A tenant name that would widen the filter to every tenant if it were pasted in unescaped.
        String injection = "x\" or tenant != \"x";
        replace(doc(quoted, "a.md", "h", chunk(quoted, "a.md", 0, "shared words about milvus", 0.6f, 0.8f, 0, 0)),
                doc("b", "b.md", "h", chunk("b", "b.md", 0, "shared words about milvus milvus", 1, 0, 0, 0)),
                doc(injection, "i.md", "h", chunk(injection, "i.md", 0, "unrelated", 0, 0, 0, 1)));
        for (SearchMode mode : SearchMode.values()) {
            assertThat(ids(search(quoted, mode, "milvus words", 10, 1, 0, 0, 0))).as(mode.name())
                    .containsExactly(id(quoted, "a.md", 0));
            assertThat(ids(search(injection, mode, "unrelated milvus", 10, 1, 0, 0, 0))).as(mode.name())
                    .containsExactly(id(injection, "i.md", 0));
            assertThat(search("nobody", mode, "milvus", 10, 1, 0, 0, 0)).as(mode.name()).isEmpty();
        }
        assertThat(search(quoted, SearchMode.DENSE, null, 1, 1, 0, 0, 0).get(0).chunk().tenant()).isEqualTo(quoted);
        assertThat(store.documents(new DocumentListingRequest(quoted)).hashBySource()).containsOnlyKeys("a.md");
        assertThat(store.delete(new DeleteRequest(injection, List.of("b.md"))).chunksRemoved()).isZero();
        assertThat(allIds("b")).containsExactly("b/b.md#0");
    }

    @Test
    void idsThatTheQueryIteratorCannotPageOverAreRefused() {
        EmbeddedChunk bad = new EmbeddedChunk(new Chunk("a\"b", "t", "q.md", "T", List.of(), "x", 0, "h"),
                new float[] {1, 0, 0, 0});
        assertThatThrownBy(() -> replace(doc("t", "q.md", "h", bad))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a\"b").hasMessageContaining("quote");
        assertThat(allIds("t")).isEmpty();
    }

    @Test
    void keywordSearchRanksByBm25AndSkipsNonMatches() {
        replace(doc("t", "k.md", "h",
                chunk("t", "k.md", 0, "The partition key routes rows of one tenant to the same partition", 1, 0, 0, 0),
                chunk("t", "k.md", 1, "A partition is a slice of a collection", 0, 1, 0, 0),
                chunk("t", "k.md", 2, "HNSW builds a proximity graph for dense vectors", 0, 0, 1, 0)));
        List<ScoredChunk> hits = search("t", SearchMode.KEYWORD, "partition key", 10);
        assertThat(ids(hits)).containsExactly("t/k.md#0", "t/k.md#1");
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score()).isGreaterThan(0);
        assertThat(search("t", SearchMode.KEYWORD, "graph", 10)).extracting(m -> m.chunk().ordinal())
                .containsExactly(2);
    }

    @Test
    void hybridPromotesTheChunkBothListsRankWell() {
        // Dense order: dense-only, both, f1, f2, keyword-only. Keyword order: keyword-only, both.
        // RRF(k=60): both = 1/62 + 1/62 = 0.0323 beats keyword-only = 1/61 + 1/65 = 0.0318 and dense-only = 1/61.
        replace(doc("t", "h.md", "h",
                chunk("t", "h.md", 0, "nothing relevant here", 1, 0, 0, 0),
                chunk("t", "h.md", 1, "tuning the reranker", 0.95f, 0.31f, 0, 0),
                chunk("t", "h.md", 2, "filler text one", 0.8f, 0.6f, 0, 0),
                chunk("t", "h.md", 3, "filler text two", 0.6f, 0.8f, 0, 0),
                chunk("t", "h.md", 4, "reranker reranker tuning tuning reranker", 0, 0, 0, 1)));
        float[] query = {1, 0, 0, 0};
        assertThat(ids(search("t", SearchMode.DENSE, null, 5, query)))
                .containsExactly("t/h.md#0", "t/h.md#1", "t/h.md#2", "t/h.md#3", "t/h.md#4");
        assertThat(ids(search("t", SearchMode.KEYWORD, "reranker tuning", 5))).containsExactly("t/h.md#4", "t/h.md#1");
        List<ScoredChunk> fused = search("t", SearchMode.HYBRID, "reranker tuning", 3, query);
        assertThat(ids(fused)).containsExactly("t/h.md#1", "t/h.md#4", "t/h.md#0");
        assertThat(fused.get(0).score()).isCloseTo(2.0 / 62, org.assertj.core.data.Offset.offset(1e-4));

        if (!rangeSearchInHybrid()) {
            return;
        }
        // minScore prunes the dense list before fusion: only chunk 0 (cosine 1.0) stays in it, chunk 1 (0.95)
        // keeps only its keyword rank, and the fillers (dense-only, below 0.99) disappear.
        List<ScoredChunk> pruned = store.search(new SearchRequest("t", "reranker tuning", query, SearchMode.HYBRID,
                5, 0.99)).matches();
        assertThat(ids(pruned)).containsExactlyInAnyOrder("t/h.md#0", "t/h.md#4", "t/h.md#1");
        assertThat(pruned.get(2).chunk().id()).isEqualTo("t/h.md#1");
        assertThat(pruned.get(2).score()).isCloseTo(1.0 / 62, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void minScoreDropsWeakDenseMatches() {
        replace(doc("t", "m.md", "h", chunk("t", "m.md", 0, "near", 1, 0.1f, 0, 0),
                chunk("t", "m.md", 1, "far", 0, 1, 0, 0)));
        List<ScoredChunk> hits = store.search(SearchRequest.dense("t", new float[] {1, 0, 0, 0}, 10, 0.5)).matches();
        assertThat(ids(hits)).containsExactly("t/m.md#0");
        assertThat(hits.get(0).score()).isGreaterThan(0.99);
        assertThat(store.search(SearchRequest.dense("t", new float[] {1, 0, 0, 0}, 10, -1)).matches()).hasSize(2);
    }

    @Test
    void dimensionMismatchIsRefusedClearly() {
        assertThatThrownBy(() -> replace(doc("t", "d.md", "h", chunk("t", "d.md", 0, "x", 1, 0, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 dimensions")
                .hasMessageContaining("expects 4");
        assertThatThrownBy(() -> store.search(SearchRequest.dense("t", new float[] {1, 0}, 1, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 dimensions");
        assertThatThrownBy(() -> new MilvusChunkStore(client, collection, 8))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(collection)
                .hasMessageContaining("4-dimensional").hasMessageContaining("configured for 8");
        assertThat(allIds("t")).isEmpty();
    }

    @Test
    void collectionWithoutTheBm25FunctionIsRefusedNamingTheServer() {
        String foreign = collection + "_foreign";
        var schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.VarChar).maxLength(64)
                .isPrimaryKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM)
                .build());
        client.createCollection(CreateCollectionReq.builder().collectionName(foreign).collectionSchema(schema)
                .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.HNSW)
                        .metricType(IndexParam.MetricType.COSINE).build())).build());
        try {
            assertThatThrownBy(() -> new MilvusChunkStore(client, foreign, DIM))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(foreign)
                    .hasMessageContaining("on server " + client.getServerVersion()).hasMessageContaining("BM25");
        } finally {
            client.dropCollection(DropCollectionReq.builder().collectionName(foreign).build());
        }
    }
}
