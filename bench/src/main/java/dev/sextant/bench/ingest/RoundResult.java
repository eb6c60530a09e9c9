package dev.sextant.bench.ingest;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One timed ingest of one engine.
 *
 * @param phases          seconds per phase, in the order the engine reports them
 * @param tokenCountCalls calls of the token counter during the round (the splitter's)
 */
public record RoundResult(String engine, int pages, int chunks, double seconds, Map<String, Double> phases,
                          long tokenCountCalls, CpuUsage cpu, ChunkStats stats) {

    public double pagesPerSecond() {
        return pages / seconds;
    }

    public double chunksPerSecond() {
        return chunks / seconds;
    }

    /** The fastest of {@code rounds}: the one that counts. */
    public static RoundResult fastest(List<RoundResult> rounds) {
        return rounds.stream().min(Comparator.comparingDouble(RoundResult::seconds)).orElseThrow();
    }
}
