package dev.sextant.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.rag.chunk.ChunkLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestBenchmarkReportTest {

    @TempDir
    Path dir;

    static RoundResult round(String engine, double seconds, double otherCpu) {
        Map<String, Double> phases = new LinkedHashMap<>();
        phases.put("load+parse", 1.0);
        phases.put("token counting", 0.5);
        return new RoundResult(engine, 10, 200, seconds, phases, 1000, new CpuUsage(seconds, otherCpu, 0),
                new ChunkStats(400, 90, 100, 0));
    }

    static IngestBenchmark.Result result(double otherCpu) {
        IngestCorpus corpus = new IngestCorpus(Path.of("/corpus"), List.of(Path.of("/corpus/a.html")),
                List.of("a.html"), 2_500_000);
        return new IngestBenchmark.Result(corpus, 0, new ChunkLimits(96, 16, 128),
                new IngestBenchmark.EngineRounds("langchain4j", "theirs",
                        List.of(round("langchain4j", 8, 0), round("langchain4j", 5, 0))),
                new IngestBenchmark.EngineRounds("sextant", "ours",
                        List.of(round("sextant", 4, otherCpu), round("sextant", 6, 0))));
    }

    @Test
    void theTableComparesTheBestRoundOfEachEngine() {
        StringWriter text = new StringWriter();
        IngestBenchmarkReport.printTable(new PrintWriter(text), result(0));

        String[] lines = text.toString().split("\n");
        assertThat(lines[0]).startsWith("1 pages (2.5 MB of HTML) under /corpus, ").endsWith(" best of 2 rounds");
        assertThat(lines[2]).isEqualTo(String.format(Locale.ROOT, "%-12s %6d %7d %8.1f %8.2f %9.1f %8.0f %8.1f %9.1f %9d",
                "langchain4j", 10, 200, 5.0, 2.0, 40.0, 400.0, 90.0, 100.0, 0));
        assertThat(lines[3]).startsWith("sextant          10     200      4.0     2.50");
        assertThat(lines[4]).isEqualTo("ratio sextant / langchain4j: pages/s 1.25x, chunks/s 1.25x");
        assertThat(lines[5]).endsWith("truncated: chunks cut at 128 tokens)");
        assertThat(lines[7]).isEqualTo("sextant phases (s): load+parse 1.00, token counting 0.50; 1000 token counts, "
                + "500.0 us each");
        assertThat(text.toString()).doesNotContain("warning");
    }

    @Test
    void aBestRoundThatSharedTheMachineIsFlagged() {
        StringWriter text = new StringWriter();
        IngestBenchmarkReport.printTable(new PrintWriter(text), result(1000));
        assertThat(text.toString()).contains("warning: other processes used 1000 CPU-seconds during the best sextant "
                + "round (4 s); its figures are disturbed");
    }

    @Test
    void theJsonHasTheBestRoundOfEachEngineAndEveryRoundsTime() throws IOException {
        Path file = dir.resolve("out.json");
        IngestBenchmarkReport.writeJson(file, result(3));

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("pages").asInt()).isEqualTo(1);
        assertThat(json.get("corpus_mb").asDouble()).isEqualTo(2.5);
        assertThat(json.get("rounds").asInt()).isEqualTo(2);
        assertThat(json.get("chunk_max_tokens").asInt()).isEqualTo(96);
        assertThat(json.get("chunk_overlap_tokens").asInt()).isEqualTo(16);
        JsonNode theirs = json.get("engines").get(0);
        JsonNode ours = json.get("engines").get(1);
        assertThat(theirs.get("engine").asText()).isEqualTo("langchain4j");
        assertThat(theirs.get("pipeline").asText()).isEqualTo("theirs");
        assertThat(theirs.get("seconds").asDouble()).isEqualTo(5.0);
        assertThat(ours.get("seconds").asDouble()).isEqualTo(4.0);
        assertThat(ours.get("cpu_s").get("other_processes").asDouble()).isEqualTo(3.0);
        assertThat(ours.get("rounds").findValuesAsText("seconds")).containsExactly("4.0", "6.0");
        assertThat(ours.get("phases_s").get("token counting").asDouble()).isEqualTo(0.5);
        assertThat(json.get("ratio_pages_per_s").asDouble()).isEqualTo(1.25);
    }
}
