package dev.sextant.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke suite CI runs on every commit, through the packaged CLI, and what a bad suite file gets. */
class EvalSmokeIT {

    @TempDir
    Path out;

    @Test
    void theSmokeSuitePassesAndWritesResultsAndAReport() throws Exception {
        var run = AppProcess.run(Duration.ofMinutes(10), Map.of(), "eval",
                AppProcess.ROOT.resolve("eval/suites/smoke.yaml").toString(), "--out", out.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("## eval: smoke").contains("PASS");
        JsonNode results = new ObjectMapper().readTree(out.resolve("smoke-results.json").toFile());
        assertThat(results.path("retrieval").path("hybrid").path("recall@5").asDouble()).isGreaterThan(0.9);
        assertThat(results.path("questions")).hasSize(26);
        assertThat(results.path("answers").path("unanswerable").asInt()).isEqualTo(6);
        assertThat(results.path("cache").path("pairs")).hasSize(12);
        assertThat(results.path("latency").path("load")).isNotEmpty();
        String html = Files.readString(out.resolve("smoke-report.html"));
        assertThat(html).contains("data-chart=\"recall-at-k\"").contains("data-chart=\"latency-histogram\"");
    }

    @Test
    void aBadSuiteFileExitsTwoNamingTheLineAndField() throws Exception {
        Path suite = Files.writeString(out.resolve("bad.yaml"), "name: bad\ncorpus:\n  paths: [.]\n"
                + "questions: nowhere.json\n");
        var run = AppProcess.run(Map.of(), "eval", suite.toString(), "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("bad.yaml:4: questions: file not found").doesNotContain("\tat ");
    }
}
