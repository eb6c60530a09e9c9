package dev.sextant.rag.store.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.store.ChunkStore.DocumentChunks;
import dev.sextant.rag.store.ChunkStore.EmbeddedChunk;
import dev.sextant.rag.store.ChunkStore.ReplaceRequest;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.rag.store.ChunkStore.SearchRequest;
import dev.sextant.rag.store.ChunkStore.SearchMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tenant's keyword scores do not depend on what other tenants keep in the same index. */
class TenantStatisticsTest {

    @TempDir
    Path dir;

    private final List<LuceneChunkStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(LuceneChunkStore::close);
    }

    private LuceneChunkStore open(String name) {
        LuceneChunkStore store = new LuceneChunkStore(dir.resolve(name), 2)
                .withKeywordScoring(KeywordScoring.parse("title=2,heading=1,identifier=1,phrase=1"));
        opened.add(store);
        return store;
    }

    /** Tenant a's pages: headings but no titles, so the title field is one only tenant b uses. */
    private static final Map<String, String> A_PAGES = new LinkedHashMap<>(Map.of(
            "heap", "heapq keeps a binary heap; heappush adds an item and heapq.heapify orders a list",
            "vacuum", "VACUUM FULL rewrites the table; plain vacuum reclaims dead tuples",
            "sort", "sorting a heap of rows by key uses a binary heap for the top rows"));

    private static DocumentChunks aPage(String source, String text) {
        return new DocumentChunks("a", source, "h-" + source, List.of(new EmbeddedChunk(
                new Chunk("a-" + source, "a", source, null, List.of("Manual", source), text, 0, "h-" + source),
                new float[] {1, 0})));
    }

    /** Tenant b says "heap" everywhere, in long titled chunks, and uses words tenant a never does. */
    private static DocumentChunks bPage(int i, int version) {
        String text = "heap heap memory allocator arena heap fragmentation ".repeat(1 + i % 3) + "malloc " + version;
        return new DocumentChunks("b", "b" + i, "h-b" + i + "-" + version, List.of(new EmbeddedChunk(
                new Chunk("b-" + i, "b", "b" + i, "Heap allocator " + i, List.of("Heap"), text, 0,
                        "h-b" + i + "-" + version), new float[] {0, 1})));
    }

    private static Map<String, Double> scores(LuceneChunkStore store, String tenant, String query) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (ScoredChunk m : store.search(new SearchRequest(tenant, query, null, SearchMode.KEYWORD, 10, -1))
                .matches()) {
            out.put(m.chunk().id(), m.score());
        }
        return out;
    }

    @Test
    void aTenantScoresAsIfItWereAloneInTheIndex() {
        LuceneChunkStore alone = open("alone");
        LuceneChunkStore shared = open("shared");
        A_PAGES.forEach((source, text) -> alone.replace(new ReplaceRequest(List.of(aPage(source, text)))));
        // Several commits (segments) on the shared index, b's pages between a's, then b's rewritten so deleted
        // chunks are left in the segments.
        List<DocumentChunks> bPages = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            bPages.add(bPage(i, 1));
        }
        shared.replace(new ReplaceRequest(bPages.subList(0, 15)));
        A_PAGES.forEach((source, text) -> shared.replace(new ReplaceRequest(List.of(aPage(source, text)))));
        shared.replace(new ReplaceRequest(bPages.subList(15, 30)));
        shared.replace(new ReplaceRequest(bPages.subList(0, 10).stream().map(p -> bPage(
                Integer.parseInt(p.source().substring(1)), 2)).toList()));

        for (String query : List.of("binary heap", "heap", "VACUUM FULL heap", "heapq.heapify", "malloc heap",
                "Manual sorting", "allocator")) {
            Map<String, Double> expected = scores(alone, "a", query);
            Map<String, Double> actual = scores(shared, "a", query);
            assertThat(actual.keySet()).as(query).containsExactlyElementsOf(expected.keySet());
            expected.forEach((id, score) -> assertThat(actual.get(id)).as(query + " " + id)
                    .isCloseTo(score, within(1e-5)));
        }
        assertThat(scores(shared, "a", "heap")).isNotEmpty();
        // b, whose pages all say "heap", still finds its own; an unknown tenant finds nothing and fails nothing.
        assertThat(scores(shared, "b", "heap fragmentation")).hasSize(10);
        assertThat(scores(shared, "nobody", "heap")).isEmpty();
    }

    @Test
    void aTenantHoldingTheWholeIndexScoresWithLucenesOwnStatistics() {
        LuceneChunkStore store = open("one");
        A_PAGES.forEach((source, text) -> store.replace(new ReplaceRequest(List.of(aPage(source, text)))));
        Map<String, Double> before = scores(store, "a", "binary heap");
        store.replace(new ReplaceRequest(List.of(bPage(1, 1))));
        Map<String, Double> after = scores(store, "a", "binary heap");
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((id, score) -> assertThat(after.get(id)).isCloseTo(score, within(1e-5)));
    }
}
