package dev.sextant.ingestion;

/**
 * Where an ingest run stands.
 *
 * @param filesDone  files looked at so far (ingested, unchanged or failed)
 * @param filesTotal files found under the roots
 * @param chunks     chunks written (or, in a dry run, that would be) so far
 * @param bytesDone  size of the files looked at
 * @param bytesTotal size of all files found
 * @param elapsedNanos time since the run started
 */
public record IngestProgress(int filesDone, int filesTotal, int chunks, long bytesDone, long bytesTotal,
                             long elapsedNanos) {

    /** Megabytes of input per second so far. */
    public double megabytesPerSecond() {
        return elapsedNanos == 0 ? 0 : bytesDone / 1e6 / (elapsedNanos / 1e9);
    }

    /** Estimated seconds left at the current rate, or -1 before there is a rate. */
    public long etaSeconds() {
        if (bytesDone == 0) {
            return -1;
        }
        double perByte = elapsedNanos / 1e9 / bytesDone;
        return Math.round((bytesTotal - bytesDone) * perByte);
    }

    /** Called as files are processed, on the ingesting thread. */
    @FunctionalInterface
    public interface Listener {
        void onProgress(IngestProgress progress);

        Listener NONE = progress -> {
        };
    }
}
