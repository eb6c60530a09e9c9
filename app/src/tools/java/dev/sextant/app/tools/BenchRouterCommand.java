package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import jakarta.enterprise.context.Dependent;
import dev.sextant.eval.load.LoadJson;
import dev.sextant.bench.router.RouterOverheadBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@Dependent
@CommandLine.Command(name = "bench-router", mixinStandardHelpOptions = true,
        description = "Router overhead: the same streamed requests sent straight to an inference process and "
                + "through ./sextant router in front of it, at open-loop rates, in one run (completions: proxy "
                + "overhead; chat: the RAG path; chat repeated: cache hits). Starts its own processes.")
public class BenchRouterCommand implements Callable<Integer>, ToolCommand {

    @CommandLine.Option(names = "--rates", split = ",", defaultValue = "2,5,10",
            description = "Requests per second, one step each (default 2,5,10).")
    List<Double> rates;

    @CommandLine.Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per step.")
    int seconds;

    @CommandLine.Option(names = "--warmup-seconds", defaultValue = "5", description = "Unrecorded seconds first.")
    int warmupSeconds;

    @CommandLine.Option(names = "--max-tokens", defaultValue = "8", description = "Tokens generated per request.")
    int maxTokens;

    @CommandLine.Option(names = "--corpus", description = "Documents the router retrieves from (default: the "
            + "repository's samples/corpus).")
    Path corpus;

    @CommandLine.Option(names = "--model-dir", description = "Chat model of the inference process (default: the "
            + "bundled test decoder, fast, so the router's own cost is visible).")
    Path modelDir;

    @CommandLine.Option(names = "--out", description = "Write the JSON results here.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path docs = corpus != null ? corpus : Path.of("samples", "corpus").toAbsolutePath();
        if (!Files.isDirectory(docs)) {
            err.println("sextant bench-router: corpus directory not found: " + docs + " (give --corpus DIR)");
            return 2;
        }
        if (rates.isEmpty() || rates.stream().anyMatch(r -> !(r > 0)) || seconds < 1 || warmupSeconds < 0
                || maxTokens < 1) {
            err.println("sextant bench-router: rates must be > 0, --seconds >= 1, --warmup-seconds >= 0, "
                    + "--max-tokens >= 1");
            return 2;
        }
        if (modelDir != null && !Files.isDirectory(modelDir)) {
            err.println("sextant bench-router: model directory not found: " + modelDir);
            return 2;
        }
        Path work = Files.createTempDirectory("sextant-bench-router");
        var benchmark = new RouterOverheadBenchmark(new RouterOverheadBenchmark.Settings(rates,
                Duration.ofSeconds(seconds), Duration.ofSeconds(warmupSeconds), maxTokens, docs, modelDir, work),
                err);
        var json = benchmark.run(spec.commandLine().getOut());
        if (out != null) {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            LoadJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), json);
        }
        return 0;
    }
}
