package dev.sextant.rag.store.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.ChunkStore.DeleteRequest;
import dev.sextant.rag.store.ChunkStore.DocumentChunks;
import dev.sextant.rag.store.ChunkStore.DocumentListingRequest;
import dev.sextant.rag.store.ChunkStore.EmbeddedChunk;
import dev.sextant.rag.store.ChunkStore.ReplaceRequest;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.rag.store.ChunkStore.SearchMode;
import dev.sextant.rag.store.ChunkStore.SearchRequest;
import dev.sextant.rag.store.ExactCosineChunkStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneChunkStoreTest {

    @TempDir
    Path dir;

    private final List<LuceneChunkStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(LuceneChunkStore::close);
    }

    private LuceneChunkStore open(int dimension) {
        return open(dir, dimension, LuceneChunkStore.DEFAULT_LOCK_TIMEOUT);
    }

    private LuceneChunkStore open(Path path, int dimension, Duration lockTimeout) {
        LuceneChunkStore store = new LuceneChunkStore(path, dimension, lockTimeout);
        opened.add(store);
        return store;
    }

    static EmbeddedChunk chunk(String tenant, String source, int ordinal, float... vector) {
        return new EmbeddedChunk(new Chunk(tenant + source + ordinal, tenant, source, "T", List.of("h"),
                "text " + ordinal, ordinal, "hash-" + source), vector);
    }

    static EmbeddedChunk textChunk(String tenant, String source, String text, float... vector) {
        return new EmbeddedChunk(new Chunk(tenant + source, tenant, source, "T", List.of(), text, 0,
                "hash-" + source), vector);
    }

    static DocumentChunks doc(String tenant, String source, EmbeddedChunk... chunks) {
        return new DocumentChunks(tenant, source, "hash-" + source, List.of(chunks));
    }

    static ReplaceRequest replace(DocumentChunks... docs) {
        return new ReplaceRequest(List.of(docs));
    }

    static SearchRequest query(String tenant, int topK, float... v) {
        return SearchRequest.dense(tenant, v, topK, -1);
    }

    static List<String> ids(List<ScoredChunk> matches) {
        return matches.stream().map(m -> m.chunk().id()).toList();
    }

    @Test
    void searchRanksByCosineWithinTheTenantOnly() {
        var store = open(3);
        store.replace(replace(
                doc("a", "x.md", chunk("a", "x.md", 0, 1, 0, 0), chunk("a", "x.md", 1, 0.7f, 0.7f, 0)),
                doc("a", "y.md", chunk("a", "y.md", 0, 0, 0, 1)),
                doc("b", "z.md", chunk("b", "z.md", 0, 1, 0, 0))));
        var result = store.search(query("a", 2, 2, 0, 0)).matches();
        assertThat(ids(result)).containsExactly("ax.md0", "ax.md1");
        assertThat(result.get(0).score()).isCloseTo(1.0, within(1e-6));
        assertThat(result.get(1).score()).as("cosine, not Lucene's (1+cos)/2").isCloseTo(Math.sqrt(0.5), within(1e-5));
        assertThat(store.search(query("b", 10, 0, 0, 1)).matches()).extracting(m -> m.chunk().tenant())
                .containsOnly("b");
        assertThat(store.search(query("nobody", 10, 1, 0, 0)).matches()).isEmpty();
    }

    @Test
    void chunksRoundTripWithEveryField() {
        var store = open(2);
        var original = new Chunk("id1", "a", "dir/x.md", "Title", List.of("Title", "Part", "Sub"), "body text", 7,
                "sha-1");
        var noHash = new Chunk("id2", "a", "y.md", "Y", List.of(), "other", 0, null);
        store.replace(replace(new DocumentChunks("a", "dir/x.md", "sha-1", List.of(new EmbeddedChunk(original,
                new float[] {1, 0}))), new DocumentChunks("a", "y.md", null, List.of(new EmbeddedChunk(noHash,
                new float[] {0, 1})))));
        var matches = store.search(query("a", 2, 1, 0)).matches();
        assertThat(matches).extracting(ScoredChunk::chunk).containsExactly(original, noHash);
        assertThat(store.documents(new DocumentListingRequest("a")).hashBySource())
                .containsEntry("dir/x.md", "sha-1").containsEntry("y.md", "");
        assertThat(store.documents(new DocumentListingRequest("a", java.util.Set.of("dir/x.md", "gone.md")))
                .hashBySource()).isEqualTo(java.util.Map.of("dir/x.md", "sha-1"));
    }

    @Test
    void replacingADocumentSwapsAllItsChunksAndNeverDuplicates() {
        var store = open(2);
        store.replace(replace(doc("a", "x", chunk("a", "x", 0, 1, 0), chunk("a", "x", 1, 0, 1))));
        var result = store.replace(replace(doc("a", "x", chunk("a", "x", 5, 1, 1))));
        assertThat(result.chunksRemoved()).isEqualTo(2);
        assertThat(result.chunksWritten()).isEqualTo(1);
        assertThat(store.chunksBySource("a").get("x")).extracting(Chunk::ordinal).containsExactly(5);
        store.replace(replace(doc("a", "x", chunk("a", "x", 5, 1, 1))));
        assertThat(store.size()).isEqualTo(1);
        // An empty chunk list removes the document.
        assertThat(store.replace(replace(doc("a", "x"))).chunksRemoved()).isEqualTo(1);
        assertThat(store.documents(new DocumentListingRequest("a")).hashBySource()).isEmpty();
    }

    @Test
    void deleteRemovesOnlyTheNamedSourcesOfTheTenant() {
        var store = open(2);
        store.replace(replace(doc("a", "x", chunk("a", "x", 0, 1, 0)), doc("a", "y", chunk("a", "y", 0, 1, 0)),
                doc("b", "x", chunk("b", "x", 0, 1, 0))));
        assertThat(store.delete(new DeleteRequest("a", List.of("x"))).chunksRemoved()).isEqualTo(1);
        assertThat(store.documents(new DocumentListingRequest("a")).hashBySource()).containsOnlyKeys("y");
        assertThat(store.documents(new DocumentListingRequest("b")).hashBySource()).containsOnlyKeys("x");
        assertThat(store.delete(new DeleteRequest("a", List.of("x", "nope"))).chunksRemoved()).isZero();
    }

    @Test
    void anotherInstanceOnTheSameDirectorySeesWritesAndRestartsKeepThem() {
        var reader = open(2);
        assertThat(reader.size()).isZero();
        var writer = open(2);
        writer.replace(replace(doc("a", "x", chunk("a", "x", 0, 1, 0))));
        assertThat(reader.search(query("a", 5, 1, 0)).matches()).hasSize(1);
        writer.replace(replace(doc("a", "y", chunk("a", "y", 0, 0, 1))));
        // The reader can write too: the writer instance holds no lock between requests.
        reader.delete(new DeleteRequest("a", List.of("x")));
        assertThat(writer.documents(new DocumentListingRequest("a")).hashBySource()).containsOnlyKeys("y");
        reader.replace(replace(doc("a", "x", chunk("a", "x", 0, 1, 0))));
        writer.close();
        reader.close();
        opened.clear();
        assertThat(open(2).documents(new DocumentListingRequest("a")).hashBySource()).containsOnlyKeys("x", "y");
    }

    @Test
    void keywordSearchRanksByBm25AndHybridFusesBothRankings() {
        var store = open(2);
        store.replace(replace(
                doc("a", "heap", textChunk("a", "heap", "heapq keeps a binary heap; heappush adds", 1, 0)),
                doc("a", "vacuum", textChunk("a", "vacuum", "vacuum reclaims dead tuples", 0, 1)),
                doc("a", "mixed", textChunk("a", "mixed", "a heap of dead leaves", 0.7f, 0.7f))));
        var keyword = store.search(new SearchRequest("a", "binary heap", null, SearchMode.KEYWORD, 5, -1)).matches();
        assertThat(keyword).extracting(m -> m.chunk().source()).containsExactly("heap", "mixed");
        var hybrid = store.search(new SearchRequest("a", "dead heap", new float[] {0.6f, 0.8f}, SearchMode.HYBRID,
                3, -1)).matches();
        assertThat(hybrid.get(0).chunk().source()).isEqualTo("mixed");
        assertThat(hybrid).hasSize(3);
        assertThat(store.search(new SearchRequest("b", "heap", null, SearchMode.KEYWORD, 5, -1)).matches())
                .as("other tenant").isEmpty();
        // Stemming and identifier splitting: "reclaiming" finds "reclaims", "heappush" is its own token.
        assertThat(store.search(new SearchRequest("a", "reclaiming", null, SearchMode.KEYWORD, 5, -1)).matches())
                .extracting(m -> m.chunk().source()).containsExactly("vacuum");
    }

    @Test
    void keywordSearchSplitsDottedIdentifiers() {
        var store = open(2);
        store.replace(replace(doc("a", "p", textChunk("a", "p", "call os.path.join(a, b) to build paths", 1, 0))));
        assertThat(store.search(new SearchRequest("a", "join", null, SearchMode.KEYWORD, 5, -1)).matches())
                .hasSize(1);
    }

    @Test
    void keywordScoringWeightsTitleIdentifierAndPhraseClausesOnlyWhenAskedTo() {
        var store = open(2);
        EmbeddedChunk titled = new EmbeddedChunk(new Chunk("a-sort", "a", "sort", "Sorting", List.of(),
                "orders rows by columns in a full pass, then a vacuum", 0, "hash-sort"), new float[] {1, 0});
        EmbeddedChunk mentions = new EmbeddedChunk(new Chunk("a-misc", "a", "misc", "Miscellany", List.of(),
                "sorting sorting sorting: sorting happens before VACUUM FULL, see heapq.heapify for a heap", 0,
                "hash-misc"), new float[] {0, 1});
        store.replace(replace(doc("a", "sort", titled), doc("a", "misc", mentions)));
        SearchRequest sorting = new SearchRequest("a", "sorting", null, SearchMode.KEYWORD, 5, -1);
        assertThat(store.keywordScoring()).isEqualTo(KeywordScoring.DEFAULT).isEqualTo(KeywordScoring.BODY);
        // The body alone: the page saying "sorting" four times wins.
        assertThat(ids(store.search(sorting).matches())).containsExactly("a-misc", "a-sort");
        // Its title weighted in, the page named for it wins.
        var fields = store.withKeywordScoring(KeywordScoring.parse("title=20"));
        assertThat(ids(fields.search(sorting).matches())).containsExactly("a-sort", "a-misc");
        var identifiers = store.withKeywordScoring(KeywordScoring.IDENTIFIERS);
        assertThat(ids(identifiers.search(new SearchRequest("a", "heapq.heapify", null, SearchMode.KEYWORD, 5,
                -1)).matches())).containsExactly("a-misc");
        // The phrase clause adds to the chunk where the words stand together, not to "a full pass, then a vacuum".
        SearchRequest vacuumFull = new SearchRequest("a", "VACUUM FULL", null, SearchMode.KEYWORD, 5, -1);
        var phrases = store.withKeywordScoring(KeywordScoring.parse("phrase=1"));
        assertThat(score(phrases.search(vacuumFull).matches(), "a-misc"))
                .isGreaterThan(score(store.search(vacuumFull).matches(), "a-misc"));
        assertThat(score(phrases.search(vacuumFull).matches(), "a-sort"))
                .isEqualTo(score(store.search(vacuumFull).matches(), "a-sort"));
    }

    private static double score(List<ScoredChunk> matches, String id) {
        return matches.stream().filter(m -> m.chunk().id().equals(id)).findFirst().orElseThrow().score();
    }

    @Test
    void badKeywordScoringSpecsNameWhatIsWrong() {
        assertThat(KeywordScoring.parse("title=2, heading=1")).isEqualTo(new KeywordScoring(2, 1, 0, 0));
        assertThatThrownBy(() -> KeywordScoring.parse("title")).hasMessageContaining("expected name=weight");
        assertThatThrownBy(() -> KeywordScoring.parse("colour=1")).hasMessageContaining("unknown weight 'colour'");
        assertThatThrownBy(() -> KeywordScoring.parse("title=big")).hasMessageContaining("'big' is not a number");
        assertThatThrownBy(() -> KeywordScoring.parse("title=-1")).hasMessageContaining(">= 0");
    }

    @Test
    void wrongDimensionsAndForeignChunksAreRefused() throws Exception {
        var store = open(2);
        assertThatThrownBy(() -> store.search(query("a", 1, 1, 0, 0))).hasMessageContaining("3 dimensions");
        assertThatThrownBy(() -> store.replace(replace(doc("a", "x", chunk("b", "x", 0, 1, 0)))))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> store.replace(replace(doc("a", "x", chunk("a", "x", 0, 1, 0, 0)))))
                .hasMessageContaining("3 dimensions");
        store.replace(replace(doc("a", "x", chunk("a", "x", 0, 1, 0))));
        assertThatThrownBy(() -> new LuceneChunkStore(dir, 3)).hasMessageContaining("re-ingest")
                .hasMessageContaining(dir.toString());
        assertThatThrownBy(() -> new LuceneChunkStore(dir, 2000)).hasMessageContaining("1024");
        store.close();
        opened.clear();
        try (var files = Files.list(dir)) {
            for (Path segments : files.filter(f -> f.getFileName().toString().startsWith("segments")).toList()) {
                Files.writeString(segments, "garbage!");
            }
        }
        assertThatThrownBy(() -> new LuceneChunkStore(dir, 2)).hasMessageContaining("chunk index")
                .hasMessageContaining(dir.toString());
    }

    @Test
    void tenantsNeverSeeEachOtherInAnyMode() {
        var store = open(2);
        List<DocumentChunks> docs = new ArrayList<>();
        // Fifty chunks of tenant b, all nearer to the query and all matching its words better than a's one chunk.
        for (int i = 0; i < 50; i++) {
            docs.add(doc("b", "b" + i, textChunk("b", "b" + i, "secret heap heap heap " + i, 1, 0.001f * i)));
        }
        docs.add(doc("a", "mine", textChunk("a", "mine", "a heap of notes and other words", 0, 1)));
        store.replace(new ReplaceRequest(docs));
        for (SearchMode mode : SearchMode.values()) {
            var matches = store.search(new SearchRequest("a", "secret heap", new float[] {1, 0}, mode, 10, -1))
                    .matches();
            assertThat(matches).as(mode.name()).extracting(m -> m.chunk().source()).containsExactly("mine");
            assertThat(store.search(new SearchRequest("b", "secret heap", new float[] {1, 0}, mode, 10, -1))
                    .matches()).as(mode.name()).hasSize(10).allMatch(m -> m.chunk().tenant().equals("b"));
        }
    }

    @Test
    void keywordSearchTakesAnyTextWithoutSyntaxErrors() {
        var store = open(2);
        store.replace(replace(doc("a", "heap", textChunk("a", "heap", "a binary heap", 1, 0))));
        for (String text : List.of("foo AND (", "\"", "heap AND (", "title:heap*", "\\", "+-!(){}[]^\"~*?:\\/",
                "&& || NOT", "heap~2 OR", "/regex[/", "the a of", "日本語 テキスト", "x".repeat(5000),
                "w ".repeat(3000))) {
            assertThatCode(() -> store.search(new SearchRequest("a", text, null, SearchMode.KEYWORD, 5, -1)))
                    .as(text).doesNotThrowAnyException();
        }
        assertThat(store.search(new SearchRequest("a", "heap AND (", null, SearchMode.KEYWORD, 5, -1)).matches())
                .hasSize(1);
        assertThat(store.search(new SearchRequest("a", "title:heap*", null, SearchMode.KEYWORD, 5, -1)).matches())
                .as("title and heap are plain words").hasSize(1);
        assertThat(store.search(new SearchRequest("a", "the a of (", null, SearchMode.KEYWORD, 5, -1)).matches())
                .as("only stop words").isEmpty();
    }

    @Test
    void hybridPromotesTheChunkFoundByBoth() {
        var store = open(2);
        store.replace(replace(
                doc("a", "dense", textChunk("a", "dense", "nothing relevant here", 1, 0)),
                doc("a", "both", textChunk("a", "both",
                        "compaction is described at length in the later chapters of this guide", 0.8f, 0.6f)),
                doc("a", "keyword", textChunk("a", "keyword", "compaction merges segments", -1, 0))));
        float[] vector = {1, 0};
        var dense = store.search(new SearchRequest("a", "segments compaction", vector, SearchMode.DENSE, 5, 0));
        var keyword = store.search(new SearchRequest("a", "segments compaction", vector, SearchMode.KEYWORD, 5, 0));
        assertThat(dense.matches()).extracting(m -> m.chunk().source()).containsExactly("dense", "both");
        assertThat(keyword.matches()).extracting(m -> m.chunk().source()).containsExactly("keyword", "both");
        var hybrid = store.search(new SearchRequest("a", "segments compaction", vector, SearchMode.HYBRID, 3, 0));
        assertThat(hybrid.matches()).extracting(m -> m.chunk().source()).startsWith("both").hasSize(3);
    }

    @Test
    void minScoreFiltersDenseMatchesOnCosine() {
        var store = open(2);
        store.replace(replace(doc("a", "x", chunk("a", "x", 0, 1, 0), chunk("a", "x", 1, 0.8f, 0.6f),
                chunk("a", "x", 2, 0, 1), chunk("a", "x", 3, -1, 0))));
        var matches = store.search(SearchRequest.dense("a", new float[] {3, 0}, 10, 0.5)).matches();
        assertThat(ids(matches)).containsExactly("ax0", "ax1");
        assertThat(matches.get(1).score()).isCloseTo(0.8, within(1e-5));
        assertThat(store.search(SearchRequest.dense("a", new float[] {1, 0}, 10, -1)).matches().get(3).score())
                .isCloseTo(-1.0, within(1e-5));
    }

    @Test
    void hnswFindsNearlyTheSameTopTenAsExactSearch() {
        int dimension = 384;
        var random = new Random(42);
        var lucene = open(dimension);
        var exact = new ExactCosineChunkStore(dir.resolve("exact"), dimension);
        // 2,000 chunks in four requests, so the index has several segments as after incremental ingests.
        for (int batch = 0; batch < 4; batch++) {
            List<DocumentChunks> docs = new ArrayList<>();
            for (int d = 0; d < 50; d++) {
                String source = "doc" + batch + "-" + d;
                List<EmbeddedChunk> chunks = new ArrayList<>();
                for (int c = 0; c < 10; c++) {
                    chunks.add(chunk("t", source, c, randomVector(random, dimension)));
                }
                docs.add(new DocumentChunks("t", source, "hash-" + source, chunks));
            }
            lucene.replace(new ReplaceRequest(docs));
            exact.replace(new ReplaceRequest(docs));
        }
        assertThat(lucene.size()).isEqualTo(2000);
        int overlap = 0;
        for (int q = 0; q < 20; q++) {
            float[] vector = randomVector(random, dimension);
            Set<String> expected = new HashSet<>(ids(exact.search(query("t", 10, vector)).matches()));
            var found = lucene.search(query("t", 10, vector)).matches();
            assertThat(found).hasSize(10);
            overlap += (int) found.stream().filter(m -> expected.contains(m.chunk().id())).count();
        }
        assertThat(overlap / 20.0).as("average top-10 overlap with exact search").isGreaterThanOrEqualTo(9.5);
    }

    private static float[] randomVector(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Test
    void aHeldWriteLockIsWaitedForThenReportedWithTheDirectory() throws Exception {
        var store = open(dir, 2, Duration.ofMillis(300));
        try (Directory directory = FSDirectory.open(dir);
             IndexWriter other = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()))) {
            assertThatThrownBy(() -> store.replace(replace(doc("a", "x", chunk("a", "x", 0, 1, 0)))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(dir.toString())
                    .hasMessageContaining("locked");
            other.rollback(); // release write.lock without committing anything
        }
        assertThat(store.search(query("a", 5, 1, 0)).matches()).isEmpty();
        var patient = open(dir, 2, Duration.ofSeconds(20));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Directory directory = FSDirectory.open(dir)) {
            IndexWriter other = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()));
            Future<?> write = executor.submit(() -> patient.replace(replace(doc("a", "x", chunk("a", "x", 0, 1, 0)))));
            Thread.sleep(300);
            assertThat(write.isDone()).as("waits for the lock").isFalse();
            other.close();
            write.get(20, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }
        assertThat(store.search(query("a", 5, 1, 0)).matches()).hasSize(1);
    }

    @Test
    void concurrentReadersSeeEachReplaceRequestWhole() throws Exception {
        var writer = open(2);
        var reader = open(2);
        writer.replace(replace(versioned(0)));
        var stop = new AtomicBoolean();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                readers.add(executor.submit(() -> {
                    int reads = 0;
                    while (!stop.get()) {
                        var hashes = reader.documents(new DocumentListingRequest("a")).hashBySource();
                        assertThat(hashes).hasSize(2);
                        assertThat(hashes.get("x")).as("both documents of one request").isEqualTo(hashes.get("y"));
                        assertThat(reader.search(query("a", 10, 1, 0)).matches()).hasSize(6);
                        reads++;
                    }
                    return reads;
                }));
            }
            for (int version = 1; version <= 30; version++) {
                writer.replace(replace(versioned(version)));
            }
            stop.set(true);
            for (Future<Integer> r : readers) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            stop.set(true);
            executor.shutdownNow();
        }
        assertThat(reader.size()).isEqualTo(6);
    }

    private static DocumentChunks[] versioned(int version) {
        DocumentChunks[] docs = new DocumentChunks[2];
        int i = 0;
        for (String source : List.of("x", "y")) {
            List<EmbeddedChunk> chunks = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                chunks.add(new EmbeddedChunk(new Chunk(source + c, "a", source, "T", List.of(), "v" + version, c,
                        "v" + version), new float[] {1, c}));
            }
            docs[i++] = new DocumentChunks("a", source, "v" + version, chunks);
        }
        return docs;
    }
}
