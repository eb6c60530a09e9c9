package dev.sextant.app.ingest;

import dev.sextant.ingestion.IngestProgress;
import java.io.PrintWriter;

/**
 * Shows ingest progress: a redrawn bar on a terminal, plain lines every few seconds otherwise (logs, CI), so
 * neither floods its output.
 */
public final class IngestProgressPrinter implements IngestProgress.Listener {

    private static final long TERMINAL_INTERVAL_NANOS = 200_000_000L;
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private long lastPrinted = Long.MIN_VALUE / 2;
    private boolean printedBar;

    public IngestProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onProgress(IngestProgress p) {
        boolean last = p.filesDone() == p.filesTotal();
        long interval = terminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS;
        if (!last && p.elapsedNanos() - lastPrinted < interval) {
            return;
        }
        lastPrinted = p.elapsedNanos();
        if (terminal) {
            int filled = p.filesTotal() == 0 ? BAR_WIDTH : BAR_WIDTH * p.filesDone() / p.filesTotal();
            out.print("\r[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + describe(p) + "   ");
            printedBar = !last;
            if (last) {
                out.println();
            }
        } else {
            out.println("ingest: " + describe(p));
        }
        out.flush();
    }

    /** Ends a bar line if the run stopped before its last file (failures, interruption). */
    public void finish() {
        if (printedBar) {
            out.println();
            out.flush();
            printedBar = false;
        }
    }

    static String describe(IngestProgress p) {
        long eta = p.etaSeconds();
        return p.filesDone() + "/" + p.filesTotal() + " documents, " + p.chunks() + " chunks, "
                + String.format("%.1f MB/s", p.megabytesPerSecond())
                + (eta < 0 ? "" : String.format(", ETA %d:%02d", eta / 60, eta % 60));
    }
}
