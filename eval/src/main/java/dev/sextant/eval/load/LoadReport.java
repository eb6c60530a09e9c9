package dev.sextant.eval.load;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One load run: its steps in the order they ran.
 *
 * @param label what was measured ({@code router}, {@code direct}); names the run in comparisons
 * @param date  ISO-8601 instant the run started
 * @param cores processors of the machine that generated the load (it shares them with the server on one box)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LoadReport(String label, String date, int cores, List<StepResult> steps) {

    public LoadReport {
        steps = List.copyOf(steps);
    }

    static LoadReport startingNow(String label, List<StepResult> steps) {
        return new LoadReport(label, Instant.now().toString(), Runtime.getRuntime().availableProcessors(), steps);
    }

    public StepResult step(String stepLabel) {
        return steps.stream().filter(s -> s.label().equals(stepLabel)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no step " + stepLabel + " in run " + label));
    }

    /** Pools repeats of the same profile step by step ({@link StepResult#merge}); keeps this run's label and date. */
    public LoadReport merge(LoadReport other) {
        if (steps.size() != other.steps.size()) {
            throw new IllegalArgumentException("runs have " + steps.size() + " and " + other.steps.size() + " steps");
        }
        List<StepResult> merged = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            merged.add(steps.get(i).merge(other.steps.get(i)));
        }
        return new LoadReport(label, date, cores, merged);
    }

    public String toJson() {
        try {
            return LoadJson.MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson() + "\n");
    }

    /** A report written by {@link #writeJson}; its steps carry figures but no per-request records. */
    public static LoadReport readJson(Path file) throws IOException {
        return LoadJson.MAPPER.readValue(file.toFile(), LoadReport.class);
    }

    /** One row per step: outcome counts, throughput, latency (ms, from scheduled send) and TTFT. */
    public String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| run | step | sent | ok | 429 | 4xx | 5xx | stream err | io err | timeout | dropped | ok/s "
                + "| p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | mean ms | TTFT p50 ms | TTFT p99 ms |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StepResult s : steps) {
            OutcomeCounts o = s.outcomes();
            LatencyStats l = s.latency();
            sb.append(String.format(Locale.ROOT,
                    "| %s | %s | %d/%d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %s | %s | %s | %s | %s | %s "
                            + "| %s | %s |%n", label, s.label(), s.sent(), s.scheduled(), o.ok(), o.rateLimited(),
                    o.clientError() + o.otherStatus(), o.serverError(), o.streamError(), o.ioError(), o.timeout(),
                    o.dropped(), s.throughput(), LatencyStats.format(l.p50Ms()), LatencyStats.format(l.p90Ms()),
                    LatencyStats.format(l.p99Ms()), LatencyStats.format(l.p999Ms()), LatencyStats.format(l.maxMs()),
                    LatencyStats.format(l.meanMs()), LatencyStats.format(s.ttft().p50Ms()),
                    LatencyStats.format(s.ttft().p99Ms())));
        }
        return sb.toString();
    }
}
