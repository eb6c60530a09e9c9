package dev.sextant.app.ingest;

import dev.sextant.ingestion.IngestPathException;
import dev.sextant.ingestion.IngestReport;
import dev.sextant.ingestion.IngestRequest;
import dev.sextant.ingestion.Ingestor;
import dev.sextant.router.cache.ResponseCache;
import dev.sextant.router.config.SextantConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Load, chunk, embed and store documents (HTML, Markdown, text). Unchanged files are skipped.")
public class IngestCommand implements Callable<Integer> {

    @CommandLine.Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to ingest.")
    List<Path> paths;

    @CommandLine.Option(names = "--data-dir", description = "State directory (default ~/.sextant, env "
            + "SEXTANT_DATA_DIR).")
    Path dataDir;

    // Applied before boot by BootOptions (it decides which store bean is built); declared for --help.
    @CommandLine.Option(names = "--store", description = "embedded (Lucene in the data dir, default), milvus "
            + "(sextant.store.milvus-uri) or exact.")
    String store;

    @CommandLine.Option(names = "--tenant", description = "Owner of the ingested chunks (default: "
            + "sextant.default-tenant).")
    String tenant;

    @CommandLine.Option(names = "--include", paramLabel = "GLOB", description = "Only files whose path (relative "
            + "to PATH) matches; repeatable. Without a '/', the glob also matches the file name at any depth.")
    List<String> includes = List.of();

    @CommandLine.Option(names = "--exclude", paramLabel = "GLOB", description = "Skip files whose path matches; "
            + "repeatable.")
    List<String> excludes = List.of();

    @CommandLine.Option(names = "--dry-run", description = "Report what would change; embed and write nothing.")
    boolean dryRun;

    @CommandLine.Option(names = "--delete-missing", description = "Remove the tenant's stored documents that are "
            + "not found under the given paths.")
    boolean deleteMissing;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Resolved inside call(): a store or embeddings service that cannot be reached is reported in one line.
    @Inject
    Instance<Ingestor> ingestors;
    @Inject
    SextantConfig config;
    @Inject
    Instance<ResponseCache> cache;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IngestReport report;
        IngestRequest request;
        try {
            request = new IngestRequest(paths, tenant == null ? config.defaultTenant() : tenant, includes, excludes,
                    dryRun, deleteMissing);
        } catch (IllegalArgumentException e) {
            err.println("sextant ingest: " + e.getMessage());
            return 2;
        }
        Ingestor ingestor;
        try {
            ingestor = ingestors.get();
        } catch (RuntimeException e) {
            err.println("sextant ingest: cannot open the " + config.store().type() + " chunk store or the embedder: "
                    + rootMessage(e));
            return 3;
        }
        IngestProgressPrinter progress = new IngestProgressPrinter(err, System.console() != null);
        try {
            report = ingestor.ingest(request, progress);
        } catch (IngestPathException e) {
            progress.finish();
            err.println("sextant ingest: " + e.getMessage());
            return 2;
        }
        progress.finish();
        for (IngestReport.Failure failure : report.failures()) {
            err.println("failed: " + failure.reason());
        }
        out.println(report.summary() + " into " + config.dataDir());
        if (!report.replacedSources().isEmpty()) {
            // Routers sharing this cache (Redis) drop answers citing the old text now, not at their next hit.
            int dropped = cache.get().invalidate(ResponseCache.InvalidateRequest.sources(request.tenant(),
                    new java.util.HashSet<>(report.replacedSources()))).removed();
            if (dropped > 0) {
                out.println("invalidated " + dropped + " cached answers citing changed or deleted documents");
            }
        }
        return report.failures().isEmpty() ? 0 : 1;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }
}
