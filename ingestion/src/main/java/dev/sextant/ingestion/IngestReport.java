package dev.sextant.ingestion;

import java.util.List;

/**
 * @param ingested  documents whose chunks were written (new or changed); in a dry run, that would be
 * @param unchanged documents skipped because their content hash is already stored
 * @param deleted   stored documents removed because they are gone from the roots (--delete-missing)
 * @param failures  files that could not be ingested, each with the reason
 * @param replacedSources stored documents whose content changed or that were deleted: whatever was derived from
 *                  their old text (cached answers citing them) is stale now
 */
public record IngestReport(int ingested, int unchanged, int deleted, int chunksWritten, int chunksRemoved,
                           List<Failure> failures, boolean dryRun, List<String> replacedSources) {

    public record Failure(String path, String reason) {
    }

    public IngestReport {
        failures = List.copyOf(failures);
        replacedSources = List.copyOf(replacedSources);
    }

    public String summary() {
        if (dryRun) {
            return "dry run: would ingest " + ingested + " documents (" + chunksWritten + " chunks) and delete "
                    + deleted + "; " + unchanged + " unchanged, " + failures.size() + " failed; nothing written";
        }
        return "ingested " + ingested + " documents (" + chunksWritten + " chunks written, " + chunksRemoved
                + " replaced), " + unchanged + " unchanged, " + deleted + " deleted, " + failures.size() + " failed";
    }
}
