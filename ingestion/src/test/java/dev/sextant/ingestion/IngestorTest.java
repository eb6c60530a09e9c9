package dev.sextant.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.chunk.RecursiveSplitter;
import dev.sextant.rag.document.FileTypeDocumentLoader;
import dev.sextant.rag.store.ExactCosineChunkStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestorTest {

    static OnnxEmbeddingModel embeddings;

    @TempDir
    Path corpus;
    @TempDir
    Path data;

    ExactCosineChunkStore store;
    Ingestor ingestor;

    @BeforeAll
    static void loadModel() {
        embeddings = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), EmbedderOptions.defaults());
    }

    @AfterAll
    static void closeModel() {
        embeddings.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        store = new ExactCosineChunkStore(data, embeddings.dimension());
        ingestor = new Ingestor(new FileTypeDocumentLoader(100_000), new RecursiveSplitter(300, 30), embeddings, store);
        Files.createDirectories(corpus.resolve("library"));
        Files.writeString(corpus.resolve("library/heapq.html"),
                "<html><title>heapq</title><body><h1>heapq</h1><p>Heap queue algorithm.</p></body></html>");
        Files.writeString(corpus.resolve("notes.md"), "# Notes\nVacuum reclaims space.\n");
        Files.writeString(corpus.resolve("ignored.bin"), "not a document");
    }

    IngestReport ingest() {
        return ingestor.ingest(new IngestRequest(List.of(corpus), "t"));
    }

    @Test
    void sourcesAreRelativeToTheIngestedRoot() {
        IngestReport report = ingest();
        assertThat(report.ingested()).isEqualTo(2);
        assertThat(report.failures()).isEmpty();
        assertThat(store.chunksBySource("t")).containsOnlyKeys("library/heapq.html", "notes.md");
    }

    @Test
    void reIngestingAnUnchangedTreeAddsNothing() {
        ingest();
        int chunks = store.size();
        IngestReport again = ingest();
        assertThat(again.ingested()).isZero();
        assertThat(again.unchanged()).isEqualTo(2);
        assertThat(again.chunksWritten()).isZero();
        assertThat(store.size()).isEqualTo(chunks);
    }

    @Test
    void aChangedDocumentIsReplacedNotDuplicated() throws Exception {
        ingest();
        Files.writeString(corpus.resolve("notes.md"), "# Notes\nAutovacuum runs by itself.\n\n## More\nAnd more.\n");
        IngestReport report = ingest();
        assertThat(report.ingested()).isEqualTo(1);
        assertThat(report.unchanged()).isEqualTo(1);
        List<Chunk> notes = store.chunksBySource("t").get("notes.md");
        Set<String> texts = notes.stream().map(Chunk::text).collect(Collectors.toSet());
        assertThat(texts).containsExactlyInAnyOrder("Autovacuum runs by itself.", "And more.");
    }

    @Test
    void badFilesAreReportedAndTheRestIsIngested() throws Exception {
        Files.write(corpus.resolve("broken.txt"), new byte[] {(byte) 0xFF, (byte) 0xFE, 'x'});
        Files.writeString(corpus.resolve("empty.md"), "   \n");
        IngestReport report = ingest();
        assertThat(report.ingested()).isEqualTo(2);
        assertThat(report.failures()).extracting(IngestReport.Failure::reason)
                .anySatisfy(r -> assertThat(r).contains("broken.txt", "UTF-8"))
                .anySatisfy(r -> assertThat(r).contains("empty.md", "no text"));
    }

    @Test
    void aSingleFileRootUsesItsFileNameAsSource() {
        ingestor.ingest(new IngestRequest(List.of(corpus.resolve("notes.md")), "t"));
        assertThat(store.chunksBySource("t")).containsOnlyKeys("notes.md");
    }

    @Test
    void includeAndExcludeGlobsSelectBySourcePath() {
        var report = ingestor.ingest(new IngestRequest(List.of(corpus), "t", List.of("*.html", "notes.md"),
                List.of("library/*"), false, false));
        assertThat(report.ingested()).isEqualTo(1);
        assertThat(store.chunksBySource("t")).containsOnlyKeys("notes.md");
        var explicit = ingestor.ingest(new IngestRequest(List.of(corpus), "u", List.of("*.bin"), List.of(), false,
                false));
        assertThat(explicit.failures()).singleElement().satisfies(f -> assertThat(f.reason())
                .contains("ignored.bin", "unsupported file type"));
        assertThatThrownBy(() -> ingestor.ingest(new IngestRequest(List.of(corpus), "t", List.of("[broken"),
                List.of(), false, false))).isInstanceOf(IngestPathException.class).hasMessageContaining("glob");
    }

    @Test
    void aDryRunReportsButWritesNothing() throws Exception {
        ingest();
        Files.writeString(corpus.resolve("notes.md"), "# Notes\nChanged text.\n");
        Files.delete(corpus.resolve("library/heapq.html"));
        var before = store.chunksBySource("t");
        var report = ingestor.ingest(new IngestRequest(List.of(corpus), "t", List.of(), List.of(), true, true));
        assertThat(report.dryRun()).isTrue();
        assertThat(report.ingested()).isEqualTo(1);
        assertThat(report.deleted()).isEqualTo(1);
        assertThat(report.chunksWritten()).isPositive();
        assertThat(report.summary()).contains("dry run", "nothing written");
        assertThat(store.chunksBySource("t")).isEqualTo(before);
    }

    @Test
    void deleteMissingRemovesDocumentsGoneFromTheRoots() throws Exception {
        ingest();
        Files.delete(corpus.resolve("library/heapq.html"));
        var report = ingestor.ingest(new IngestRequest(List.of(corpus), "t", List.of(), List.of(), false, true));
        assertThat(report.deleted()).isEqualTo(1);
        assertThat(report.unchanged()).isEqualTo(1);
        assertThat(store.chunksBySource("t")).containsOnlyKeys("notes.md");
        assertThat(ingestor.ingest(new IngestRequest(List.of(corpus), "t", List.of(), List.of(), false, true))
                .deleted()).isZero();
    }

    @Test
    void aMissingRootIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> ingestor.ingest(new IngestRequest(List.of(corpus, corpus.resolve("nope")), "t")))
                .isInstanceOf(IngestPathException.class)
                .hasMessageContaining("does not exist");
        assertThat(store.size()).isZero();
    }
}
