package dev.sextant.bench.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One engine's ingestion of the benchmark's corpus, behind timing decorators. */
interface IngestRound {

    /** What the engine's pipeline is, for the JSON results. */
    String pipeline();

    /** Ingests {@code files} once, so that classes are loaded and code is compiled before the timed rounds. */
    void warmUp(List<Path> files) throws IOException;

    /** Ingests the whole corpus, timed, with its chunk sizes counted after the clock stopped. */
    RoundResult measure() throws IOException;
}
