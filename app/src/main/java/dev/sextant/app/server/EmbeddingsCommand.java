package dev.sextant.app.server;

import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "embeddings", mixinStandardHelpOptions = true,
        description = "Run only the embeddings service: OpenAI-compatible /v1/embeddings and /v1/models.")
public class EmbeddingsCommand implements Callable<Integer> {

    // Applied before boot by BootOptions; declared here for --help and validation.
    @CommandLine.Option(names = "--data-dir", description = "State directory (default ~/.sextant).")
    Path dataDir;

    @CommandLine.Option(names = "--port", description = "HTTP port (default 8091).")
    Integer port;

    @Override
    public Integer call() {
        Quarkus.waitForExit();
        return 0;
    }
}
