package dev.sextant.bench.ingest;

/** Nanoseconds per phase of one round; each timing decorator adds to it from the ingesting thread only. */
final class PhaseTimes {
    long load;
    long split;
    long count;
    long countCalls;
    long embed;
    long store;

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
