package dev.sextant.app.server;

import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "inference", mixinStandardHelpOptions = true,
        description = "Run only the inference service: OpenAI-compatible /v1/chat/completions, /v1/completions and "
                + "/v1/models over the local model, without retrieval.")
public class InferenceCommand implements Callable<Integer> {

    // Applied before boot by BootOptions; declared here for --help and validation.
    @CommandLine.Option(names = "--data-dir", description = "State directory (default ~/.sextant).")
    Path dataDir;

    @CommandLine.Option(names = "--port", description = "HTTP port (default 8090).")
    Integer port;

    @Override
    public Integer call() {
        Quarkus.waitForExit();
        return 0;
    }
}
