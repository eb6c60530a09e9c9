package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import dev.sextant.app.ingest.IngestProgressPrinter;
import jakarta.enterprise.context.Dependent;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.eval.retrieval.LabelledQuestion;
import dev.sextant.eval.retrieval.RetrievalEvaluation;
import dev.sextant.eval.retrieval.RetrievalReport;
import dev.sextant.ingestion.Ingestor;
import dev.sextant.rag.chunk.ChunkLimits;
import dev.sextant.rag.chunk.HeadingPrefix;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import dev.sextant.rag.store.milvus.MilvusChunkStore;
import dev.sextant.router.config.SextantConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import picocli.CommandLine;

@Dependent
@CommandLine.Command(name = "eval-retrieval", mixinStandardHelpOptions = true,
        description = "Retrieval quality on a labelled corpus: ingest --corpus with the application's ingestion "
                + "path, retrieve each question of --questions (dense, keyword/BM25, hybrid; top 10 chunks), "
                + "score the distinct sources against the gold ones (recall@1/5/10, MRR@10, nDCG@10) and print a "
                + "Markdown table.")
public class EvalRetrievalCommand implements Callable<Integer>, ToolCommand {

    private static final String NAME = "sextant eval-retrieval: ";
    /** Held so the level set on it is not lost to garbage collection. */
    private static final Logger INGESTOR_LOG = Logger.getLogger(Ingestor.class.getName());

    @CommandLine.Option(names = "--corpus", paramLabel = "DIR", description = "Directory to ingest; a chunk's "
            + "source is its path relative to DIR, which is what gold labels name.")
    Path corpus;

    @CommandLine.Option(names = "--questions", paramLabel = "FILE", description = "JSON array of {\"id\", "
            + "\"question\", \"gold\": [sources], \"kind\"}; questions with an empty gold are retrieved, not scored.")
    Path questions;

    // BootOptions also reads --store before boot; only embedded and milvus are accepted here.
    @CommandLine.Option(names = "--store", defaultValue = "embedded", description = "embedded (Lucene, default) "
            + "or milvus.")
    String store;

    @CommandLine.Option(names = "--milvus-uri", paramLabel = "URI", description = "Milvus server for --store "
            + "milvus (default: sextant.store.milvus-uri, http://127.0.0.1:19530).")
    String milvusUri;

    @CommandLine.Option(names = "--model", defaultValue = "all-minilm-l6-v2-q", description = "all-minilm-l6-v2-q "
            + "(default), bge-small-en-v1.5-q, or a sentence-transformers ONNX directory.")
    String model;

    @CommandLine.Option(names = "--chunk-tokens", paramLabel = "N", description = "Chunk size in the model's "
            + "tokens (default: as the application, the model's limit - 32: 96 for MiniLM, 480 for BGE); overlap 16.")
    Integer chunkTokens;

    @CommandLine.Option(names = "--heading-prefix", paramLabel = "path|nearest|none", description = "What the "
            + "embedder reads before each chunk's text, fitted into the model's input: the title and every heading "
            + "(path), the title and the innermost heading (nearest), or nothing (none); default: as the "
            + "application.")
    String headingPrefix;

    @CommandLine.Option(names = "--data-dir", paramLabel = "DIR", description = "embedded: keep the index in "
            + "DIR/eval-index/<model>-<chunk tokens>-<heading prefix> and reuse it next time (unchanged pages are "
            + "skipped); default: a temporary directory, deleted afterwards.")
    Path dataDir;

    @CommandLine.Option(names = "--tenant", description = "Tenant the corpus is ingested under (default: a new "
            + "one per run, eval-<model>-<random>).")
    String tenant;

    @CommandLine.Option(names = "--keep", description = "Leave the ingested chunks in the store (default: remove "
            + "them at the end unless the embedded index lives in --data-dir).")
    boolean keep;

    @CommandLine.Option(names = "--out", paramLabel = "FILE.json", description = "Also write the figures and "
            + "every question's ranking as JSON here.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    SextantConfig config;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = checkArguments();
        if (problem != null) {
            err.println(NAME + problem);
            return 2;
        }
        List<LabelledQuestion> labelled;
        try {
            labelled = LabelledQuestion.readAll(questions);
        } catch (IllegalArgumentException e) {
            err.println(NAME + e.getMessage());
            return 2;
        }
        Set<String> missingGold = new TreeSet<>();
        Set<String> gold = new TreeSet<>();
        labelled.forEach(q -> gold.addAll(q.gold()));
        gold.stream().filter(g -> !Files.isRegularFile(corpus.resolve(g))).forEach(missingGold::add);
        if (missingGold.size() == gold.size()) {
            err.println(NAME + "none of the " + gold.size() + " gold sources of " + questions + " is a file under "
                    + corpus + " (wrong --corpus?)");
            return 2;
        }
        if (!missingGold.isEmpty()) {
            err.println("warning: " + missingGold.size() + " gold sources are not under " + corpus + ": "
                    + String.join(", ", missingGold));
        }
        String uri = milvusUri != null ? milvusUri : config.store().milvusUri();
        if (store.equals("milvus")) {
            String unreachable = checkReachable(uri);
            if (unreachable != null) {
                err.println(NAME + unreachable);
                return 2;
            }
        }
        EncoderSpec encoder;
        try {
            encoder = EncoderSpec.forModel(model);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println(NAME + "--model: " + e.getMessage());
            return 2;
        }
        try (OnnxEmbeddingModel embedder = new OnnxEmbeddingModel(encoder, EmbedderOptions.defaults())) {
            ChunkLimits limits = chunkTokens == null ? RetrievalEvaluation.defaultChunkLimits(embedder)
                    : RetrievalEvaluation.chunkLimits(embedder, chunkTokens);
            if (headingPrefix != null) {
                limits = limits.withHeadingPrefix(HeadingPrefix.fromConfig(headingPrefix));
            }
            String runTenant = tenant != null ? tenant
                    : "eval-" + embedder.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
            Path indexDir = null;
            boolean temporaryIndex = false;
            if (store.equals("embedded")) {
                if (dataDir != null) {
                    indexDir = dataDir.resolve("eval-index").resolve(embedder.name() + "-" + limits.maxTokens()
                            + "-" + limits.headingPrefix().configValue());
                } else {
                    indexDir = Files.createTempDirectory("sextant-eval-index-");
                    temporaryIndex = true;
                }
            }
            ChunkStore chunkStore = indexDir != null ? new LuceneChunkStore(indexDir, embedder.dimension())
                    : MilvusChunkStore.connect(uri, embedder.dimension());
            try {
                RetrievalEvaluation evaluation = new RetrievalEvaluation(embedder, chunkStore, runTenant);
                stdout.printf(Locale.ROOT, "model %s, store %s%s, tenant %s, chunks of %d tokens (overlap %d), "
                                + "heading prefix %s%n", embedder.name(), store,
                        indexDir != null ? " (" + indexDir + ")" : " (" + uri + ")", runTenant, limits.maxTokens(),
                        limits.overlapTokens(), limits.headingPrefix().configValue());
                stdout.flush();
                // The progress printer says what the ingestor's periodic log lines would (on stdout, among the table).
                INGESTOR_LOG.setLevel(Level.WARNING);
                IngestProgressPrinter progress = new IngestProgressPrinter(err, System.console() != null);
                RetrievalEvaluation.IngestRun ingest = evaluation.ingest(corpus, limits, progress);
                progress.finish();
                for (var failure : ingest.report().failures()) {
                    err.println("failed: " + failure.reason());
                }
                stdout.printf(Locale.ROOT, "ingest: %s in %.1f s%n", ingest.report().summary(), ingest.seconds());
                stdout.println("embedding inputs: " + ingest.inputs().summary());
                RetrievalReport report = evaluation.evaluate(labelled, store, ingest);
                stdout.printf(Locale.ROOT, "%d answerable questions (%d unanswerable not scored), top %d chunks "
                        + "-> distinct sources%n%n", report.answerable(), labelled.size() - report.answerable(),
                        report.topK());
                stdout.print(report.markdownTable());
                if (out != null) {
                    report.writeJson(out);
                    stdout.println();
                    stdout.println("wrote " + out);
                }
                if (!keep && !temporaryIndex && indexDir == null) {
                    evaluation.removeIngested();
                }
            } finally {
                if (chunkStore instanceof AutoCloseable closeable) {
                    closeQuietly(closeable);
                }
                if (temporaryIndex && !keep) {
                    deleteRecursively(indexDir);
                } else if (temporaryIndex) {
                    err.println("kept the index in " + indexDir);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println(NAME + e.getMessage());
            return 2;
        }
        return 0;
    }

    /** The first problem with the options, or {@code null}. */
    private String checkArguments() {
        if (corpus == null || questions == null) {
            return "--corpus DIR and --questions FILE are required";
        }
        if (!Files.isDirectory(corpus)) {
            return "--corpus " + corpus + " is not a directory";
        }
        if (!Files.isRegularFile(questions) || !Files.isReadable(questions)) {
            return "--questions " + questions + " is not a readable file";
        }
        if (!store.equals("embedded") && !store.equals("milvus")) {
            return "--store must be embedded or milvus, got '" + store + "'";
        }
        if (headingPrefix != null) {
            try {
                HeadingPrefix.fromConfig(headingPrefix);
            } catch (IllegalArgumentException e) {
                return "--heading-prefix must be path, nearest or none, got '" + headingPrefix + "'";
            }
        }
        if (chunkTokens != null && chunkTokens <= RetrievalEvaluation.OVERLAP_TOKENS) {
            return "--chunk-tokens must be larger than the overlap (" + RetrievalEvaluation.OVERLAP_TOKENS
                    + "), got " + chunkTokens;
        }
        if (tenant != null && tenant.isBlank()) {
            return "--tenant must not be empty";
        }
        if (out != null && Files.isDirectory(out)) {
            return "--out " + out + " is a directory";
        }
        return null;
    }

    private static String checkReachable(String uri) {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            return "--milvus-uri '" + uri + "' is not a URI";
        }
        if (parsed.getHost() == null || parsed.getPort() < 0) {
            return "--milvus-uri '" + uri + "' needs a host and a port (http://127.0.0.1:19530)";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(parsed.getHost(), parsed.getPort()), 2000);
            return null;
        } catch (IOException e) {
            return "no Milvus server at " + uri + " (start one with ./sextant services start)";
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing the run for
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // the figures are out; nothing useful to do with a close failure
        }
    }
}
