package dev.sextant.ingestion;

import java.util.List;

/**
 * @param ingested  documents whose chunks were written (new or changed)
 * @param unchanged documents skipped because their content hash is already stored
 * @param failures  files that could not be ingested, each with the reason
 */
public record IngestReport(int ingested, int unchanged, int chunksWritten, int chunksRemoved,
                           List<Failure> failures) {

    public record Failure(String path, String reason) {
    }

    public IngestReport {
        failures = List.copyOf(failures);
    }

    public String summary() {
        return "ingested " + ingested + " documents (" + chunksWritten + " chunks written, " + chunksRemoved
                + " replaced), " + unchanged + " unchanged, " + failures.size() + " failed";
    }
}
