package dev.sextant.app.server;

import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the all-in-one server (router, retrieval, embeddings, inference) in this process.")
public class ServeCommand implements Callable<Integer> {

    // Both options are applied before boot by BootOptions; they are declared here for --help and validation.
    @CommandLine.Option(names = "--data-dir", description = "State directory (default ~/.sextant, env "
            + "SEXTANT_DATA_DIR).")
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
