package dev.sextant.eval.load;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A candidate run against a baseline run of the same profile (through the router vs straight to the backend),
 * step by step: ratios candidate / baseline. Steps are matched by {@link StepSpec#label()}; a step that only one
 * run has is left out.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunComparison(String candidate, String baseline, List<Row> rows) {

    public RunComparison {
        rows = List.copyOf(rows);
    }

    /**
     * @param throughput OK answers per second, candidate / baseline (below 1: the candidate served less)
     * @param latency    scheduled send to end
     * @param ttft       scheduled send to first token (NaN figures when the step streamed nothing)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Row(String step, double throughput, LatencyRatio latency, LatencyRatio serviceTime,
                      LatencyRatio ttft) {
    }

    public static RunComparison of(LoadReport candidate, LoadReport baseline) {
        List<Row> rows = new ArrayList<>();
        for (StepResult c : candidate.steps()) {
            baseline.steps().stream().filter(b -> b.label().equals(c.label())).findFirst().ifPresent(b ->
                    rows.add(new Row(c.label(), c.throughput() / b.throughput(),
                            LatencyRatio.of(c.latency(), b.latency()),
                            LatencyRatio.of(c.serviceTime(), b.serviceTime()), LatencyRatio.of(c.ttft(), b.ttft()))));
        }
        return new RunComparison(candidate.label(), baseline.label(), rows);
    }

    public String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| step | ").append(candidate).append(" / ").append(baseline)
                .append(": ok/s | p50 | p90 | p99 | p99.9 | max | mean | TTFT p50 | TTFT p99 |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            LatencyRatio l = r.latency();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.step(),
                    LatencyRatio.format(r.throughput()), LatencyRatio.format(l.p50()), LatencyRatio.format(l.p90()),
                    LatencyRatio.format(l.p99()), LatencyRatio.format(l.p999()), LatencyRatio.format(l.max()),
                    LatencyRatio.format(l.mean()), LatencyRatio.format(r.ttft().p50()),
                    LatencyRatio.format(r.ttft().p99())));
        }
        return sb.toString();
    }
}
