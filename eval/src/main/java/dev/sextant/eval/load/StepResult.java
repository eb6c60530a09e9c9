package dev.sextant.eval.load;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Figures of one step (one rate, or one client count). Latency figures cover {@link Outcome#OK} requests only, so
 * fast 429s do not flatter them; TTFT figures cover OK streams that carried a first token.
 *
 * @param scheduled     requests due in the measured window (open loop; sent + dropped), or started (closed loop)
 * @param windowSeconds the configured duration, or longer if the last measured answer came later
 * @param throughput    OK answers per second of the window
 * @param latency       scheduled send to end (coordinated-omission corrected)
 * @param serviceTime   actual send to end
 * @param ttft          scheduled send to first token
 * @param ttftFromSent  actual send to first token
 * @param requests      every measured request, by scheduled time; not written to JSON, so {@code null} in a
 *                      result read back from a file
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepResult(StepSpec spec, long scheduled, long sent, OutcomeCounts outcomes, double windowSeconds,
                         double throughput, LatencyStats latency, LatencyStats serviceTime, LatencyStats ttft,
                         LatencyStats ttftFromSent, @JsonIgnore List<RequestRecord> requests) {

    private static final double NANOS_PER_SECOND = 1e9;

    public StepResult {
        Objects.requireNonNull(spec, "spec");
        requests = requests == null ? null : List.copyOf(requests);
    }

    /** Computes every figure from the measured requests. */
    public static StepResult of(StepSpec spec, long scheduled, List<RequestRecord> requests) {
        long lastEnd = requests.stream().mapToLong(RequestRecord::endNanos).max().orElse(0);
        return build(spec, scheduled, Math.max(spec.durationSeconds(), lastEnd / NANOS_PER_SECOND), requests);
    }

    private static StepResult build(StepSpec spec, long scheduled, double windowSeconds,
                                    List<RequestRecord> requests) {
        List<RequestRecord> ordered = new ArrayList<>(requests);
        ordered.sort(Comparator.comparingLong(RequestRecord::scheduledNanos)
                .thenComparingLong(RequestRecord::sequence));
        OutcomeCounts outcomes = OutcomeCounts.of(ordered);
        List<RequestRecord> ok = ordered.stream().filter(r -> r.outcome() == Outcome.OK).toList();
        List<RequestRecord> tokens = ok.stream().filter(RequestRecord::hasFirstToken).toList();
        return new StepResult(spec, scheduled, ordered.stream().filter(RequestRecord::sent).count(), outcomes,
                windowSeconds, outcomes.ok() / windowSeconds, stats(ok, RequestRecord::latencyNanos),
                stats(ok, RequestRecord::serviceNanos), stats(tokens, RequestRecord::ttftNanos),
                stats(tokens, RequestRecord::ttftFromSentNanos), ordered);
    }

    private static LatencyStats stats(List<RequestRecord> records, ToLongFunction<RequestRecord> value) {
        return LatencyStats.ofNanos(records.stream().mapToLong(value).toArray());
    }

    /**
     * Pools two runs of the same step (repeats of a benchmark): counts add up, windows add up, and the latency
     * figures are recomputed exactly from both runs' requests.
     *
     * @throws IllegalArgumentException if the steps differ or either result has no per-request records (one read
     *                                  from JSON)
     */
    public StepResult merge(StepResult other) {
        if (!spec.label().equals(other.spec.label())) {
            throw new IllegalArgumentException("cannot merge " + spec.label() + " with " + other.spec.label());
        }
        if (requests == null || other.requests == null) {
            throw new IllegalArgumentException("merging needs the per-request records, which JSON does not carry");
        }
        List<RequestRecord> both = new ArrayList<>(requests);
        both.addAll(other.requests);
        return build(spec, scheduled + other.scheduled, windowSeconds + other.windowSeconds, both);
    }

    public String label() {
        return spec.label();
    }

    /** One line for logs: counts, throughput, latency and (for streams) TTFT. */
    public String summaryLine() {
        String line = String.format(Locale.ROOT, "%s: sent %d/%d, ok %d, 429 %d, 4xx %d, 5xx %d, stream %d, io %d, "
                        + "timeout %d, dropped %d, %.1f ok/s, latency %s", label(), sent, scheduled, outcomes.ok(),
                outcomes.rateLimited(), outcomes.clientError(), outcomes.serverError(), outcomes.streamError(),
                outcomes.ioError(), outcomes.timeout(), outcomes.dropped(), throughput, latency.summary());
        return ttft.count() == 0 ? line : line + ", ttft " + ttft.summary();
    }
}
