package dev.sextant.eval.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Figures of hand-made requests: step statistics, merging, comparison, JSON and Markdown. */
class LoadReportTest {

    static final long MS = 1_000_000;
    static final StepSpec OPEN_10 = new StepSpec(StepSpec.Mode.OPEN, 10, 0, 1, 0, 0, 30);

    /** OK plain answers scheduled 100 ms apart, each taking {@code ms[i]}, the first 1 ms late on the client. */
    static List<RequestRecord> answers(long... ms) {
        List<RequestRecord> records = new ArrayList<>();
        for (int i = 0; i < ms.length; i++) {
            long scheduled = i * 100 * MS;
            long sent = scheduled + (i == 0 ? MS : 0);
            records.add(new RequestRecord(i, Outcome.OK, 200, scheduled, sent, -1, scheduled + ms[i] * MS));
        }
        return records;
    }

    @Test
    void stepFiguresComeFromTheRecords() {
        List<RequestRecord> records = answers(4, 2, 3);
        records.add(new RequestRecord(3, Outcome.RATE_LIMITED, 429, 300 * MS, 300 * MS, -1, 301 * MS));
        records.add(RequestRecord.dropped(4, 400 * MS));
        StepResult step = StepResult.of(OPEN_10, 5, records);

        assertThat(step.sent()).isEqualTo(4);
        assertThat(step.outcomes()).isEqualTo(new OutcomeCounts(3, 1, 0, 0, 0, 0, 0, 0, 1));
        assertThat(step.outcomes().failures()).isEqualTo(1);
        // the 429 is not a latency sample; the first request's client lag counts in latency, not service time
        assertThat(step.latency()).isEqualTo(new LatencyStats(3, 3, 3, 4, 4, 4, 4));
        assertThat(step.serviceTime()).extracting(LatencyStats::count, LatencyStats::p50Ms, LatencyStats::p90Ms,
                LatencyStats::maxMs).containsExactly(3L, 3.0, 3.0, 3.0);
        assertThat(step.serviceTime().meanMs()).isCloseTo(8.0 / 3, offset(1e-9));
        assertThat(step.ttft()).isEqualTo(LatencyStats.NONE);
        assertThat(step.windowSeconds()).isEqualTo(1.0);
        assertThat(step.throughput()).isEqualTo(3.0);
        assertThat(step.summaryLine()).startsWith("open 10/s: sent 4/5, ok 3, 429 1, 4xx 0, 5xx 0, stream 0, io 0, "
                + "timeout 0, dropped 1, 3.0 ok/s, latency p50 3.00 p90 4.00");
    }

    @Test
    void aLateLastAnswerStretchesTheWindow() {
        StepResult step = StepResult.of(OPEN_10, 2, answers(5, 1_900));
        assertThat(step.windowSeconds()).isEqualTo(2.0); // scheduled at 100 ms, answered 1.9 s later
        assertThat(step.throughput()).isEqualTo(1.0);
    }

    @Test
    void mergingPoolsTheRequestsOfRepeatedRuns() {
        StepResult merged = StepResult.of(OPEN_10, 2, answers(1, 2)).merge(StepResult.of(OPEN_10, 2, answers(3, 4)));
        assertThat(merged.scheduled()).isEqualTo(4);
        assertThat(merged.outcomes().ok()).isEqualTo(4);
        assertThat(merged.windowSeconds()).isEqualTo(2.0);
        assertThat(merged.latency()).isEqualTo(new LatencyStats(4, 2.5, 2, 4, 4, 4, 4));

        StepSpec other = new StepSpec(StepSpec.Mode.OPEN, 20, 0, 1, 0, 0, 30);
        assertThatThrownBy(() -> merged.merge(StepResult.of(other, 1, answers(1))))
                .hasMessageContaining("cannot merge open 10/s with open 20/s");
    }

    @Test
    void comparisonDividesCandidateByBaselineStepByStep() {
        LoadReport baseline = new LoadReport("direct", "d", 2, List.of(StepResult.of(OPEN_10, 4, answers(1, 2, 3, 4))));
        LoadReport candidate = new LoadReport("router", "d", 2, List.of(StepResult.of(OPEN_10, 4, answers(2, 4, 6, 8)),
                StepResult.of(new StepSpec(StepSpec.Mode.OPEN, 20, 0, 1, 0, 0, 30), 1, answers(1))));

        RunComparison comparison = RunComparison.of(candidate, baseline);
        assertThat(comparison.rows()).hasSize(1); // open 20/s has no baseline
        RunComparison.Row row = comparison.rows().get(0);
        assertThat(row.step()).isEqualTo("open 10/s");
        assertThat(row.throughput()).isEqualTo(1.0);
        assertThat(row.latency()).isEqualTo(new LatencyRatio(2, 2, 2, 2, 2, 2));
        assertThat(row.ttft().p50()).isNaN();
        assertThat(comparison.markdownTable()).contains("| step | router / direct: ok/s | p50 |")
                .contains("| open 10/s | 1.000 | 2.000 | 2.000 | 2.000 | 2.000 | 2.000 | 2.000 | - | - |");
    }

    @Test
    void jsonUsesSnakeCaseAndNullForMissingFigures(@TempDir Path tmp) throws IOException {
        StepSpec closed = new StepSpec(StepSpec.Mode.CLOSED, Double.NaN, 4, 1, 0.5, 0, 30);
        LoadReport report = new LoadReport("router", "2026-12-01T00:00:00Z", 2,
                List.of(StepResult.of(OPEN_10, 3, answers(4, 2, 3)), StepResult.of(closed, 0, List.of())));

        JsonNode root = LoadJson.MAPPER.readTree(report.toJson());
        JsonNode open = root.path("steps").get(0);
        assertThat(open.path("spec").path("mode").asText()).isEqualTo("open");
        assertThat(open.path("spec").path("target_rate").asDouble()).isEqualTo(10.0);
        assertThat(open.path("spec").path("max_in_flight").asInt()).isZero();
        assertThat(open.path("outcomes").path("rate_limited").isNumber()).isTrue();
        assertThat(open.path("latency").path("p50_ms").asDouble()).isEqualTo(3.0);
        assertThat(open.path("latency").path("p999_ms").asDouble()).isEqualTo(4.0);
        assertThat(open.path("service_time").path("count").asLong()).isEqualTo(3);
        assertThat(open.path("ttft_from_sent").path("p50_ms").isNull()).isTrue();
        assertThat(open.has("requests")).isFalse();
        JsonNode closedStep = root.path("steps").get(1);
        assertThat(closedStep.path("spec").path("mode").asText()).isEqualTo("closed");
        assertThat(closedStep.path("spec").path("target_rate").isNull()).isTrue();
        assertThat(closedStep.path("latency").path("mean_ms").isNull()).isTrue();

        Path file = tmp.resolve("out/load.json");
        report.writeJson(file);
        LoadReport back = LoadReport.readJson(file);
        assertThat(back.steps().get(0).latency()).isEqualTo(report.steps().get(0).latency());
        assertThat(back.steps().get(1).spec().targetRate()).isNaN();
        assertThat(back.steps().get(1).latency()).isEqualTo(LatencyStats.NONE);
        assertThat(back.steps().get(0).requests()).isNull();
        assertThatThrownBy(() -> back.merge(back)).hasMessageContaining("per-request records");
        assertThat(RunComparison.of(back, report).rows().get(0).latency().p50()).isEqualTo(1.0);
    }

    @Test
    void markdownHasOneRowPerStep() {
        LoadReport report = new LoadReport("direct", "d", 2, List.of(StepResult.of(OPEN_10, 3, answers(4, 2, 3))));
        assertThat(report.markdownTable().lines()).hasSize(3);
        assertThat(report.markdownTable()).contains("| run | step | sent | ok | 429 |")
                .contains("| direct | open 10/s | 3/3 | 3 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 3.0 | 3.00 | 4.00 | 4.00 | "
                        + "4.00 | 4.00 | 3.00 | - | - |");
    }
}
