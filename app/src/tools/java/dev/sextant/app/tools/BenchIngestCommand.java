package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import dev.sextant.bench.ingest.IngestBenchmark;
import dev.sextant.bench.ingest.IngestBenchmarkReport;
import dev.sextant.bench.ingest.IngestCorpus;
import jakarta.enterprise.context.Dependent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** {@link IngestBenchmark} from the command line. */
@Dependent
@CommandLine.Command(name = "bench-ingest", mixinStandardHelpOptions = true,
        description = "Pages and chunks per second of sextant's ingestion (FileTypeDocumentLoader, RecursiveSplitter "
                + "in MiniLM tokens, ONNX MiniLM q8, Lucene store in a fresh temp dir, committed) against "
                + "LangChain4j's EmbeddingStoreIngestor (TextDocumentParser + HtmlToTextDocumentTransformer, "
                + "DocumentSplitters.recursive in the same tokens, AllMiniLmL6V2QuantizedEmbeddingModel, "
                + "InMemoryEmbeddingStore) on the same *.html files of --corpus, same run.")
public class BenchIngestCommand implements Callable<Integer>, ToolCommand {

    private static final String USAGE =
            "usage: sextant bench-ingest --corpus DIR [--rounds N] [--warmup-files N] [--out FILE.json]";

    @CommandLine.Option(names = "--corpus", paramLabel = "DIR", description = "Directory whose *.html files (at any "
            + "depth) are ingested by both engines.")
    Path corpus;

    // Numbers are parsed here rather than by picocli, so a bad value is one line and exit code 2.
    @CommandLine.Option(names = "--rounds", paramLabel = "N", defaultValue = "2", description = "Timed rounds per "
            + "engine, alternating (default 2); the best counts.")
    String rounds;

    @CommandLine.Option(names = "--warmup-files", paramLabel = "N", defaultValue = "20", description = "Files each "
            + "engine ingests once before the timed rounds (default 20, spread over the corpus).")
    String warmupFiles;

    @CommandLine.Option(names = "--out", paramLabel = "FILE.json", description = "Also write the figures as JSON.")
    Path out;

    @CommandLine.Unmatched
    List<String> unmatched = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!unmatched.isEmpty()) {
            return fail(err, "unexpected argument '" + unmatched.get(0) + "'; " + USAGE);
        }
        if (corpus == null) {
            return fail(err, "--corpus DIR is required; " + USAGE);
        }
        if (!Files.isDirectory(corpus)) {
            return fail(err, "--corpus " + corpus + " is not a directory");
        }
        int roundCount = parseInt(rounds);
        if (roundCount < 1) {
            return fail(err, "--rounds must be a positive integer, got '" + rounds + "'");
        }
        int warmupCount = parseInt(warmupFiles);
        if (warmupCount < 0) {
            return fail(err, "--warmup-files must be a non-negative integer, got '" + warmupFiles + "'");
        }
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(out)) {
                return fail(err, "--out " + out + ": not a file in an existing directory");
            }
        }
        IngestCorpus pages = IngestCorpus.scan(corpus);
        if (pages.isEmpty()) {
            return fail(err, "no .html files under " + pages.root());
        }
        IngestBenchmark.Result result = new IngestBenchmark(err)
                .run(new IngestBenchmark.Request(pages, roundCount, warmupCount, out));
        IngestBenchmarkReport.printTable(spec.commandLine().getOut(), result);
        return 0;
    }

    private static int fail(PrintWriter err, String message) {
        err.println("sextant bench-ingest: " + message);
        return 2;
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
