package dev.sextant.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.ingestion.IngestProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class IngestProgressPrinterTest {

    static IngestProgress at(int done, long elapsedMillis) {
        return new IngestProgress(done, 100, done * 3, done * 10_000L, 1_000_000L, elapsedMillis * 1_000_000L);
    }

    @Test
    void plainOutputPrintsALineEveryFewSecondsAndTheLastOne() {
        StringWriter text = new StringWriter();
        var printer = new IngestProgressPrinter(new PrintWriter(text), false);
        for (int i = 1; i <= 100; i++) {
            printer.onProgress(at(i, i * 200L)); // 20 s in total
        }
        String[] lines = text.toString().split("\n");
        assertThat(lines).hasSizeBetween(4, 6);
        assertThat(lines[lines.length - 1]).isEqualTo("ingest: 100/100 documents, 300 chunks, 0.1 MB/s, ETA 0:00");
        assertThat(text.toString()).doesNotContain("\r");
    }

    @Test
    void aTerminalGetsOneRedrawnBar() {
        StringWriter text = new StringWriter();
        var printer = new IngestProgressPrinter(new PrintWriter(text), true);
        printer.onProgress(at(50, 1000));
        printer.onProgress(at(100, 2000));
        printer.finish();
        assertThat(text.toString()).startsWith("\r[" + "#".repeat(15) + ".".repeat(15) + "] 50/100 documents")
                .contains("ETA 0:01").endsWith("\n").doesNotContain("\n\n");
    }
}
