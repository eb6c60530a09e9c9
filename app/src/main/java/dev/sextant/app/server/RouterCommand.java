package dev.sextant.app.server;

import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "router", mixinStandardHelpOptions = true,
        description = "Run the router: the public OpenAI-compatible API, keys, limits, budgets, the response cache "
                + "and retrieval, balancing generation over remote inference replicas (sextant.inference.url, "
                + "comma-separated, or sextant.inference.dns-name) and embedding on a remote embeddings service "
                + "(sextant.embeddings.url) or in this process.")
public class RouterCommand implements Callable<Integer> {

    // Applied before boot by BootOptions; declared here for --help and validation.
    @CommandLine.Option(names = "--data-dir", description = "State directory (default ~/.sextant).")
    Path dataDir;

    @CommandLine.Option(names = "--port", description = "HTTP port (default 8080).")
    Integer port;

    @CommandLine.Option(names = "--store", description = "embedded (Lucene in the data dir, default), milvus "
            + "(sextant.store.milvus-uri) or exact.")
    String store;

    @Override
    public Integer call() {
        Quarkus.waitForExit();
        return 0;
    }
}
