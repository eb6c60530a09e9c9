package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import jakarta.enterprise.context.Dependent;
import dev.sextant.eval.load.LoadJson;
import dev.sextant.eval.report.HtmlReport;
import dev.sextant.eval.suite.SuiteDefinition;
import dev.sextant.eval.suite.SuiteException;
import dev.sextant.eval.suite.SuiteGate;
import dev.sextant.eval.suite.SuiteLoader;
import dev.sextant.eval.suite.SuiteResult;
import dev.sextant.eval.suite.SuiteRunner;
import dev.sextant.eval.suite.SuiteSummary;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.eval.launch.ChildProcess;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@Dependent
@CommandLine.Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Run an evaluation suite (YAML): retrieval, answers, cache, latency and cost against the "
                + "all-in-one server it starts itself or a URL; writes JSON and an HTML report, prints a Markdown "
                + "summary, and exits 1 when a threshold is crossed or a metric regressed past the baseline.")
public class EvalCommand implements Callable<Integer>, ToolCommand {

    @CommandLine.Parameters(index = "0", paramLabel = "SUITE", description = "Suite file, e.g. eval/suites/smoke.yaml")
    Path suiteFile;

    @CommandLine.Option(names = "--out", description = "Directory for <suite>-results.json and <suite>-report.html "
            + "(default: eval-out).")
    Path out = Path.of("eval-out");

    @CommandLine.Option(names = "--url", description = "Evaluate this running server instead of the suite's target.")
    URI url;

    @CommandLine.Option(names = "--baseline", description = "Compare with this results file instead of the suite's.")
    Path baseline;

    @CommandLine.Option(names = "--model-dir", description = "Chat model of the server the suite starts (default: "
            + "the prepared SmolLM2 of the data dir when there is one, else the bundled test decoder).")
    Path modelDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    SextantConfig config;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        SuiteLoader.LoadedSuite suite;
        SuiteResult previous = null;
        try {
            suite = SuiteLoader.load(suiteFile);
            Path baselineFile = baseline != null ? baseline : suite.definition().baseline() == null ? null
                    : suite.path(suite.definition().baseline());
            if (baselineFile != null) {
                previous = LoadJson.MAPPER.readValue(baselineFile.toFile(), SuiteResult.class);
            }
        } catch (SuiteException e) {
            err.println("sextant eval: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("sextant eval: cannot read the baseline: " + e.getMessage());
            return 2;
        }
        SuiteDefinition s = suite.definition();
        URI target = url != null ? url : s.target() != null && s.target().url() != null
                ? URI.create(s.target().url()) : null;
        SuiteResult result;
        if (target != null) {
            String apiKey = env(s.target() == null ? null : s.target().apiKeyEnv());
            String adminKey = env(s.target() == null ? null : s.target().adminKeyEnv());
            result = new SuiteRunner(suite, target, apiKey, adminKey, err).run(target.toString());
        } else {
            result = runEmbedded(suite, err);
            if (result == null) {
                return 3;
            }
        }
        result = SuiteGate.withRegressions(result, SuiteGate.check(s, result, previous));
        Files.createDirectories(out);
        Path json = out.resolve(s.name() + "-results.json");
        LoadJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), result);
        Path html = out.resolve(s.name() + "-report.html");
        Files.writeString(html, HtmlReport.render(result, previous));
        stdout.print(SuiteSummary.markdown(result, previous));
        stdout.println();
        stdout.println("results: " + json + "\nreport:  " + html);
        stdout.flush();
        return result.regressions().isEmpty() ? 0 : 1;
    }

    private static String env(String name) {
        return name == null ? null : System.getenv(name);
    }

    /** Starts {@code ./sextant serve} on the suite's corpus (ingested first into a fresh data dir) and runs there. */
    private SuiteResult runEmbedded(SuiteLoader.LoadedSuite suite, PrintWriter err) throws Exception {
        SuiteDefinition.Corpus corpus = suite.definition().corpus();
        Path work = Files.createTempDirectory("sextant-eval-");
        Path dataDir;
        if (corpus.dataDir() != null) {
            dataDir = suite.path(corpus.dataDir());
        } else {
            dataDir = work.resolve("data");
            List<String> args = new ArrayList<>(List.of("ingest"));
            corpus.paths().forEach(p -> args.add(suite.path(p).toString()));
            args.addAll(List.of("--data-dir", dataDir.toString()));
            if (corpus.include() != null) {
                corpus.include().forEach(g -> args.addAll(List.of("--include", g)));
            }
            if (corpus.exclude() != null) {
                corpus.exclude().forEach(g -> args.addAll(List.of("--exclude", g)));
            }
            err.println("eval: ingesting " + corpus.paths());
            err.flush();
            Path log = work.resolve("ingest.log");
            if (ChildProcess.run(log, Map.of(), args.toArray(String[]::new)) > 1) {
                err.println("sextant eval: ingest failed; see " + log);
                return null;
            }
        }
        String admin = "eval-" + UUID.randomUUID();
        Map<String, String> env = new HashMap<>(Map.of("SEXTANT_AUTH_ADMIN_KEY", admin));
        Path model = modelDir != null ? modelDir : config.dataDir().resolve("models")
                .resolve("smollm2-135m-instruct-int8");
        if (Files.isDirectory(model)) {
            env.put("SEXTANT_INFERENCE_MODEL_DIR", model.toString());
        }
        err.println("eval: starting the server on " + dataDir);
        err.flush();
        try (ChildProcess server = ChildProcess.start(work, "serve", env, "serve", "--data-dir",
                dataDir.toString())) {
            return new SuiteRunner(suite, URI.create(server.base()), admin, admin, err).run("embedded ("
                    + (env.containsKey("SEXTANT_INFERENCE_MODEL_DIR") ? model.getFileName() : "test decoder")
                    + ")");
        }
    }
}
