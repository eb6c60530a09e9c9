package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import jakarta.enterprise.context.Dependent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.inference.api.ResponseFormat;
import dev.sextant.inference.bench.ThroughputBenchmark;
import dev.sextant.inference.engine.EngineOptions;
import dev.sextant.inference.engine.InferenceEngine;
import dev.sextant.inference.runner.RunnerOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@Dependent
@CommandLine.Command(name = "bench-inference", mixinStandardHelpOptions = true,
        description = "Closed-loop throughput of the inference engine in this process: every prompt generates "
                + "exactly --new-tokens greedy tokens, at each concurrency level. Prints one JSON line per level.")
public class BenchInferenceCommand implements Callable<Integer>, ToolCommand {

    @CommandLine.Option(names = "--model-dir", required = true, description = "Model directory.")
    Path modelDir;

    @CommandLine.Option(names = "--prompts", required = true, description = "JSON file with a \"prompts\" array.")
    Path prompts;

    @CommandLine.Option(names = "--new-tokens", defaultValue = "128")
    int newTokens;

    @CommandLine.Option(names = "--concurrency", split = ",", defaultValue = "1,4,16")
    List<Integer> concurrency;

    @CommandLine.Option(names = "--threads", defaultValue = "0",
            description = "ONNX Runtime intra-op threads (0: all cores).")
    int threads;

    @CommandLine.Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or auto (CUDA needs the "
            + "-Pgpu build with CUDA 12 + cuDNN 9; auto falls back to CPU).")
    String device;

    @CommandLine.Option(names = "--cuda-device-id", defaultValue = "0", description = "GPU ordinal for CUDA.")
    int cudaDeviceId;

    @CommandLine.Option(names = "--warmup", defaultValue = "2", description = "Prompts run first, not measured.")
    int warmup;

    @CommandLine.Option(names = "--schema", description = "A JSON Schema file: each level also runs with the output "
            + "constrained to it (response_format json_schema), right after the free run, and prints the ratio and "
            + "the mask time per token. Give one whose shortest document exceeds --new-tokens, so both runs "
            + "generate the same tokens.")
    Path schema;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<String> questions = new ArrayList<>();
        JsonNode root = new ObjectMapper().readTree(prompts.toFile());
        root.path("prompts").forEach(p -> questions.add(p.asText()));
        if (!List.of("cpu", "cuda", "auto").contains(device)) {
            spec.commandLine().getErr().println("sextant bench-inference: --device must be cpu, cuda or auto");
            return 2;
        }
        ResponseFormat format = null;
        if (schema != null) {
            if (!Files.isRegularFile(schema)) {
                spec.commandLine().getErr().println("sextant bench-inference: --schema " + schema + " is not a file");
                return 2;
            }
            format = new ResponseFormat.JsonSchema("bench", Files.readString(schema), true);
        }
        if (questions.isEmpty() || !Files.isDirectory(modelDir)) {
            spec.commandLine().getErr().println("sextant bench-inference: need a model dir and a non-empty prompts "
                    + "file");
            return 2;
        }
        int maxBatch = concurrency.stream().mapToInt(Integer::intValue).max().orElse(1);
        EngineOptions options = new EngineOptions(modelDir.getFileName().toString(),
                new RunnerOptions(threads, device, cudaDeviceId),
                1024, maxBatch, 4096, 4L << 30, 4096);
        ObjectMapper json = new ObjectMapper();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (InferenceEngine engine = new InferenceEngine(modelDir, options, registry)) {
            List<String> warm = questions.subList(0, Math.min(warmup, questions.size()));
            if (warmup > 0) {
                ThroughputBenchmark.run(engine, warm, 8, 1);
                if (format != null) {
                    ThroughputBenchmark.run(engine, warm, 8, 1, format);
                }
            }
            for (int c : concurrency) {
                var free = ThroughputBenchmark.run(engine, questions, newTokens, c);
                out.println(json.writeValueAsString(free));
                if (format != null) {
                    double masks = counter(registry, "sextant.inference.structured.masks");
                    double seconds = counter(registry, "sextant.inference.structured.mask.seconds");
                    var constrained = ThroughputBenchmark.run(engine, questions, newTokens, c, format);
                    double maskMicros = (counter(registry, "sextant.inference.structured.mask.seconds") - seconds)
                            * 1e6 / Math.max(1, counter(registry, "sextant.inference.structured.masks") - masks);
                    var line = json.createObjectNode();
                    line.put("schema", schema.toString());
                    line.set("constrained", json.valueToTree(constrained));
                    line.put("tokens_per_second_ratio", constrained.tokensPerSecond() / free.tokensPerSecond());
                    line.put("mask_micros_per_token", maskMicros);
                    out.println(json.writeValueAsString(line));
                }
                out.flush();
            }
        }
        return 0;
    }

    private static double counter(SimpleMeterRegistry registry, String name) {
        var c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }
}
