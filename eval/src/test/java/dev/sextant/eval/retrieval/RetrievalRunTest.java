package dev.sextant.eval.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.ingestion.IngestProgress;
import dev.sextant.rag.chunk.ChunkingPolicy;
import dev.sextant.rag.chunk.HeadingPrefix;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What eval-retrieval does around the evaluation: its store, its output, and the checks it offers the command. */
class RetrievalRunTest {

    @TempDir
    Path dir;

    @Test
    void goldSourcesNotUnderTheCorpusAreNamed() throws IOException {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Files.writeString(corpus.resolve("a.md"), "# A\n");
        List<LabelledQuestion> questions = List.of(
                new LabelledQuestion("q1", "x?", Set.of("a.md", "gone.md"), "lookup", null),
                new LabelledQuestion("q2", "y?", Set.of("also-gone.md"), "lookup", null));

        RetrievalRun.GoldCheck check = RetrievalRun.GoldCheck.of(questions, corpus);
        assertThat(check.gold()).containsExactly("a.md", "also-gone.md", "gone.md");
        assertThat(check.missing()).containsExactly("also-gone.md", "gone.md");
        assertThat(check.noneFound()).isFalse();
        assertThat(RetrievalRun.GoldCheck.of(questions, dir).noneFound()).isTrue();
    }

    @Test
    void aMilvusUriMustBeAnAddressSomethingListensOn() throws IOException {
        assertThat(RetrievalRun.checkReachable("http://[::1")).isEqualTo("--milvus-uri 'http://[::1' is not a URI");
        assertThat(RetrievalRun.checkReachable("http://127.0.0.1")).isEqualTo("--milvus-uri 'http://127.0.0.1' "
                + "needs a host and a port (http://127.0.0.1:19530)");
        try (ServerSocket listening = new ServerSocket(0)) {
            assertThat(RetrievalRun.checkReachable("http://127.0.0.1:" + listening.getLocalPort())).isNull();
        }
        int closed;
        try (ServerSocket gone = new ServerSocket(0)) {
            closed = gone.getLocalPort();
        }
        assertThat(RetrievalRun.checkReachable("http://127.0.0.1:" + closed))
                .isEqualTo("no Milvus server at http://127.0.0.1:" + closed + " (start one with ./sextant services "
                        + "start)");
    }

    @Test
    void onlyTheEmbeddedAndMilvusStoresAreAccepted() {
        assertThatThrownBy(() -> request(dir, "exact", null, null, false))
                .hasMessage("store must be embedded or milvus, got 'exact'");
    }

    @Test
    void anEmbeddedRunPrintsTheTableAndKeepsItsIndexOnlyInTheDataDir() throws IOException {
        Path corpus = corpus();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<IngestProgress> seen = new ArrayList<>();
        int[] finished = {0};
        RetrievalRun run = new RetrievalRun(new PrintWriter(out, true), new PrintWriter(err, true),
                RetrievalRun.Progress.of(seen::add, () -> finished[0]++));

        // No data dir: a temporary index, gone afterwards.
        RetrievalReport report = run.run(request(corpus, "embedded", null, null, false));
        assertThat(report.answerable()).isEqualTo(2);
        assertThat(seen).isNotEmpty();
        assertThat(finished[0]).isEqualTo(1);
        String printed = out.toString();
        assertThat(printed).startsWith("model all-minilm-l6-v2-q, store embedded (")
                .contains("chunks of 96 tokens (overlap 16), heading prefix nearest")
                .contains("ingest: ingested 2 documents").contains("embedding inputs: 2 chunks embedded")
                .contains("2 answerable questions (1 unanswerable not scored), top 10 chunks -> distinct sources")
                .contains("| hybrid | 1.000 |");
        Matcher index = Pattern.compile("store embedded \\((.+)\\), tenant eval-all-minilm-l6-v2-q-").matcher(printed);
        assertThat(index.find()).isTrue();
        assertThat(Path.of(index.group(1))).doesNotExist();

        // A data dir: the index stays there, named for model, chunk size and prefix, and is reused.
        Path data = dir.resolve("data");
        Path json = dir.resolve("results.json");
        out.getBuffer().setLength(0);
        run.run(new RetrievalRun.Request(corpus, questions(), EncoderSpec.forModel("all-minilm-l6-v2-q"),
                "embedded", null, ChunkingPolicy.DEFAULTS.withHeadingPrefix(HeadingPrefix.PATH), data, "t", false,
                json));
        assertThat(data.resolve("eval-index/all-minilm-l6-v2-q-96-path-layout" + LuceneChunkStore.LAYOUT)).isDirectory();
        assertThat(json).isRegularFile();
        assertThat(out.toString()).contains(", tenant t, ").contains("wrote " + json);
        out.getBuffer().setLength(0);
        run.run(new RetrievalRun.Request(corpus, questions(), EncoderSpec.forModel("all-minilm-l6-v2-q"),
                "embedded", null, ChunkingPolicy.DEFAULTS.withHeadingPrefix(HeadingPrefix.PATH), data, "t", false,
                null));
        assertThat(out.toString()).contains("ingest: ingested 0 documents").contains("2 unchanged");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void theTableReachesAnAutoFlushingWriterWithoutAClose() throws IOException {
        StringWriter sink = new StringWriter();
        // Buffered like System.out behind picocli: only what is flushed arrives.
        PrintWriter out = new PrintWriter(new BufferedWriter(sink), true);
        new RetrievalRun(out, new PrintWriter(new StringWriter()), RetrievalRun.Progress.of(p -> { }, () -> { }))
                .run(request(corpus(), "embedded", null, null, false));
        assertThat(sink.toString()).contains("| hybrid |");
    }

    @Test
    void keepLeavesATemporaryIndexAndSaysWhere() throws IOException {
        StringWriter err = new StringWriter();
        new RetrievalRun(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                RetrievalRun.Progress.of(p -> { }, () -> { })).run(request(corpus(), "embedded", null, null, true));
        Matcher kept = Pattern.compile("kept the index in (.+)").matcher(err.toString().strip());
        assertThat(kept.matches()).isTrue();
        assertThat(Path.of(kept.group(1))).isDirectory();
    }

    private Path corpus() throws IOException {
        Path corpus = dir.resolve("corpus");
        Files.createDirectories(corpus.resolve("python"));
        Files.createDirectories(corpus.resolve("redis"));
        Files.writeString(corpus.resolve("python/heapq.md"), "# heapq\n\nThe heapq module implements a priority "
                + "queue: heappush adds an item and heappop removes the smallest item of the heap.\n");
        Files.writeString(corpus.resolve("redis/expire.md"), "# EXPIRE\n\nSet a timeout on a key. After the timeout "
                + "has expired, Redis deletes the key automatically; TTL shows the seconds left.\n");
        return corpus;
    }

    private static List<LabelledQuestion> questions() {
        return List.of(
                new LabelledQuestion("q1", "heappop smallest item priority queue", Set.of("python/heapq.md"),
                        "lookup", null),
                new LabelledQuestion("q2", "Redis key timeout expired", Set.of("redis/expire.md"), "lookup", null),
                new LabelledQuestion("q3", "What does a yacht cost?", Set.of(), "unanswerable", null));
    }

    private static RetrievalRun.Request request(Path corpus, String store, Path dataDir, String tenant,
                                                boolean keep) {
        return new RetrievalRun.Request(corpus, questions(), EncoderSpec.forModel("all-minilm-l6-v2-q"), store,
                null, ChunkingPolicy.DEFAULTS, dataDir, tenant, keep, null);
    }
}
