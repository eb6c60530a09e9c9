package dev.sextant.bench.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.eval.load.LoadGenerator;
import dev.sextant.eval.load.LoadJson;
import dev.sextant.eval.load.LoadProfile;
import dev.sextant.eval.load.LoadReport;
import dev.sextant.eval.load.LoadRequest;
import dev.sextant.eval.load.RequestSource;
import dev.sextant.eval.load.ResponseKind;
import dev.sextant.eval.load.RunComparison;
import dev.sextant.eval.launch.ChildProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the router costs: the same requests sent straight to an inference process and through a router in front of
 * it, at the same open-loop rates, in one run. Three comparisons:
 * <ol>
 *   <li>proxy overhead: {@code /v1/completions} through the router (keys, limits, proxying, SSE re-encoding) vs
 *       directly;</li>
 *   <li>the RAG path: a chat question through the router (query embedding, hybrid retrieval, context packing, a
 *       longer prompt) vs the bare question sent directly;</li>
 *   <li>the cache: the same question answered from the router's response cache vs the full RAG path.</li>
 * </ol>
 * All processes share this machine's cores, the load generator included.
 */
public final class RouterOverheadBenchmark {

    /**
     * @param modelDir  chat model of the inference process; null: the bundled test decoder (fast, so the router's
     *                  own costs are not hidden behind generation)
     */
    public record Settings(List<Double> rates, Duration duration, Duration warmUp, int maxTokens, Path corpus,
                           Path modelDir, Path workDir) {
    }

    private static final List<String> QUESTIONS = List.of(
            "How can I squash several commits into one before opening a pull request?",
            "How does PostgreSQL reclaim space from dead rows?",
            "What does git bisect do?",
            "How do I undo the last commit but keep my changes?",
            "When should I run VACUUM FULL?",
            "How do I resolve a merge conflict?",
            "What is a detached HEAD?",
            "How do I see which commit changed a line?");

    private final Settings settings;
    private final PrintWriter progress;

    public RouterOverheadBenchmark(Settings settings, PrintWriter progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs everything; returns the JSON report (also printed as Markdown tables to {@code out}). */
    public ObjectNode run(PrintWriter out) throws IOException, InterruptedException {
        Path work = settings.workDir();
        Map<String, String> inferenceEnv = settings.modelDir() == null ? Map.of()
                : Map.of("SEXTANT_INFERENCE_MODEL_DIR", settings.modelDir().toString());
        progress.println("bench-router: ingesting " + settings.corpus() + ", starting inference and two routers");
        progress.flush();
        ingest(work.resolve("router-data"));
        try (ChildProcess inference = ChildProcess.start(work.resolve("inference-data"), "inference", inferenceEnv,
                "inference", "--data-dir", work.resolve("inference-data").toString());
             ChildProcess router = ChildProcess.start(work.resolve("router-data"), "router-nocache",
                     routerEnv(inference, false), "router", "--data-dir", work.resolve("router-data").toString());
             ChildProcess cached = ChildProcess.start(work.resolve("router-data"), "router-cache",
                     routerEnv(inference, true), "router", "--data-dir", work.resolve("router-data").toString());
             LoadGenerator load = new LoadGenerator()) {
            Map<String, LoadReport> reports = new LinkedHashMap<>();
            for (double rate : settings.rates()) {
                LoadProfile profile = LoadProfile.of(List.of(rate), settings.duration())
                        .withWarmUp(settings.warmUp()).withRequestTimeout(Duration.ofSeconds(60));
                measure(load, reports, "completions direct", profile, completions(inference));
                measure(load, reports, "completions via router", profile, completions(router));
                measure(load, reports, "chat direct (bare question)", profile, chat(inference));
                measure(load, reports, "chat via router (RAG, no cache)", profile, chat(router));
                measure(load, reports, "chat via router (cache hit)", profile, sameQuestion(cached));
            }
            ObjectNode json = LoadJson.MAPPER.createObjectNode();
            json.put("date", java.time.LocalDate.now().toString());
            json.put("cores", Runtime.getRuntime().availableProcessors());
            json.put("max_tokens", settings.maxTokens());
            json.put("model", settings.modelDir() == null ? "bundled test decoder" : settings.modelDir().toString());
            ObjectNode runs = json.putObject("runs");
            reports.forEach((name, report) -> runs.set(name, LoadJson.MAPPER.valueToTree(report)));
            ObjectNode ratios = json.putObject("comparisons");
            compare(out, ratios, reports, "completions via router", "completions direct");
            compare(out, ratios, reports, "chat via router (RAG, no cache)", "chat direct (bare question)");
            compare(out, ratios, reports, "chat via router (cache hit)", "chat via router (RAG, no cache)");
            out.println();
            reports.values().forEach(r -> out.print(r.markdownTable()));
            out.flush();
            return json;
        }
    }

    private void ingest(Path dataDir) throws IOException, InterruptedException {
        Path log = settings.workDir().resolve("ingest.log");
        if (ChildProcess.run(log, Map.of(), "ingest", settings.corpus().toString(), "--data-dir",
                dataDir.toString()) != 0) {
            throw new IllegalStateException("ingest failed; see " + log);
        }
    }

    private static Map<String, String> routerEnv(ChildProcess inference, boolean cache) {
        return Map.of("SEXTANT_INFERENCE_URL", inference.base(), "SEXTANT_CACHE_ENABLED", Boolean.toString(cache),
                // The benchmark's own load must not be throttled.
                "SEXTANT_AUTH_DEFAULT_REQUESTS_PER_MINUTE", "1000000");
    }

    private void measure(LoadGenerator load, Map<String, LoadReport> reports, String name, LoadProfile profile,
                         RequestSource source) throws InterruptedException {
        progress.printf("bench-router: %s at %.1f/s%n", name, profile.rates().get(0));
        progress.flush();
        LoadReport report = load.runOpenLoop(name, profile, source);
        // One report per workload, its steps the rates in the order they ran.
        reports.merge(name, report, (before, now) -> new LoadReport(before.label(), before.date(), before.cores(),
                java.util.stream.Stream.concat(before.steps().stream(), now.steps().stream()).toList()));
    }

    private RequestSource completions(ChildProcess target) {
        URI uri = URI.create(target.base() + "/v1/completions");
        return sequence -> LoadRequest.postJson(uri, json(Map.of("prompt", QUESTIONS.get((int) (sequence
                % QUESTIONS.size())), "max_tokens", settings.maxTokens(), "stream", true)))
                // Completion events carry choices[0].text, not a chat delta: the first event is the first token.
                .streaming(ResponseKind.SSE_FIRST_EVENT);
    }

    private RequestSource chat(ChildProcess target) {
        URI uri = URI.create(target.base() + "/v1/chat/completions");
        return sequence -> LoadRequest.postJson(uri, chatBody(QUESTIONS.get((int) (sequence % QUESTIONS.size()))))
                .streaming();
    }

    private RequestSource sameQuestion(ChildProcess target) {
        URI uri = URI.create(target.base() + "/v1/chat/completions");
        LoadRequest request = LoadRequest.postJson(uri, chatBody(QUESTIONS.get(0))).streaming();
        return RequestSource.always(request);
    }

    private String chatBody(String question) {
        return json(Map.of("messages", List.of(Map.of("role", "user", "content", question)), "max_tokens",
                settings.maxTokens(), "stream", true));
    }

    private static String json(Object value) {
        try {
            return LoadJson.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compare(PrintWriter out, ObjectNode ratios, Map<String, LoadReport> reports,
                                String candidate, String baseline) {
        RunComparison comparison = RunComparison.of(reports.get(candidate), reports.get(baseline));
        out.println("### " + candidate + " vs " + baseline);
        out.print(comparison.markdownTable());
        ratios.set(candidate + " vs " + baseline, LoadJson.MAPPER.valueToTree(comparison));
    }
}
