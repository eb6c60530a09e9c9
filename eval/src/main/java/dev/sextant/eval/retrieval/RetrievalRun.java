package dev.sextant.eval.retrieval;

import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.ingestion.IngestProgress;
import dev.sextant.rag.chunk.ChunkLimits;
import dev.sextant.rag.chunk.ChunkingPolicy;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import dev.sextant.rag.store.milvus.MilvusChunkStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One {@code eval-retrieval} run: the model loaded, the corpus ingested into a Lucene index (temporary, or kept under
 * a data directory and reused) or under a tenant of its own in Milvus, every question retrieved and scored by
 * {@link RetrievalEvaluation}, the figures printed, and what was ingested removed again unless it is to be kept.
 */
public final class RetrievalRun {

    /** The stores a run can ingest into. */
    public static final Set<String> STORES = Set.of("embedded", "milvus");

    /**
     * @param questions the labelled questions (at least one with a gold source)
     * @param store     {@code embedded} (Lucene) or {@code milvus}
     * @param milvusUri the Milvus server, for {@code milvus}
     * @param chunking  chunk size (auto: as the application), overlap and heading prefix
     * @param dataDir   {@code embedded}: keep the index in {@code DIR/eval-index/<model>-<chunk tokens>-<prefix>-layout<N>}
     *                  and reuse it; null: a temporary directory, deleted afterwards unless {@code keep}
     * @param tenant    the tenant to ingest under; null: {@code eval-<model>-<corpus path hash>} with a data directory
     *                  (so a kept index is reused and several corpora can share it), else a new one,
     *                  {@code eval-<model>-<random>}
     * @param keep      leave the ingested chunks (Milvus) or the temporary index
     * @param out       also write the figures and every question's ranking as JSON here; null for none
     * @param tuning    settings to try instead of the methods' own
     */
    public record Request(Path corpus, List<LabelledQuestion> questions, EncoderSpec encoder, String store,
                          String milvusUri, ChunkingPolicy chunking, Path dataDir, String tenant, boolean keep,
                          Path out, RetrievalEvaluation.Tuning tuning) {

        public Request(Path corpus, List<LabelledQuestion> questions, EncoderSpec encoder, String store,
                       String milvusUri, ChunkingPolicy chunking, Path dataDir, String tenant, boolean keep, Path out) {
            this(corpus, questions, encoder, store, milvusUri, chunking, dataDir, tenant, keep, out,
                    RetrievalEvaluation.Tuning.NONE);
        }

        public Request {
            Objects.requireNonNull(tuning, "tuning");
            Objects.requireNonNull(corpus, "corpus");
            questions = List.copyOf(questions);
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(chunking, "chunking");
            if (!STORES.contains(store)) {
                throw new IllegalArgumentException("store must be embedded or milvus, got '" + store + "'");
            }
            if (store.equals("milvus")) {
                Objects.requireNonNull(milvusUri, "milvusUri");
            }
        }
    }

    /** Shows the ingest's progress; {@link #ingestFinished} ends its display (a bar line on a terminal). */
    public interface Progress extends IngestProgress.Listener {

        void ingestFinished();

        static Progress of(IngestProgress.Listener listener, Runnable finished) {
            return new Progress() {
                @Override
                public void onProgress(IngestProgress progress) {
                    listener.onProgress(progress);
                }

                @Override
                public void ingestFinished() {
                    finished.run();
                }
            };
        }
    }

    /**
     * The gold sources the questions name and those of them that are not files under the corpus.
     *
     * @param missing a subset of {@code gold}, sorted
     */
    public record GoldCheck(Set<String> gold, Set<String> missing) {

        /** Whether no gold source is there: the corpus is not the one the questions were labelled on. */
        public boolean noneFound() {
            return missing.size() == gold.size();
        }

        public static GoldCheck of(List<LabelledQuestion> questions, Path corpus) {
            Set<String> gold = new TreeSet<>();
            questions.forEach(q -> gold.addAll(q.gold()));
            Set<String> missing = new TreeSet<>();
            gold.stream().filter(g -> !Files.isRegularFile(corpus.resolve(g))).forEach(missing::add);
            return new GoldCheck(gold, missing);
        }
    }

    private final PrintWriter out;
    private final PrintWriter err;
    private final Progress progress;

    /**
     * @param out      the set-up line, ingest summary and the Markdown table
     * @param err      ingest failures and notes
     * @param progress shows the ingest's progress
     */
    public RetrievalRun(PrintWriter out, PrintWriter err, Progress progress) {
        this.out = out;
        this.err = err;
        this.progress = progress;
    }

    /**
     * Why {@code uri} cannot be a Milvus server to use, or {@code null} when something accepts connections there.
     */
    public static String checkReachable(String uri) {
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

    /**
     * @throws IllegalArgumentException for a corpus, chunking or question set the evaluation cannot use
     */
    public RetrievalReport run(Request request) throws IOException {
        return run(request, (evaluation, limits) -> evaluate(request, evaluation, limits));
    }

    /**
     * Ingests like {@link #run} (reusing a kept index), then fits the learned ranker's weights on the answerable
     * questions' hybrid-page candidates ({@link RankerTraining}) and writes them to {@code weightsOut}.
     *
     * @param maxSim whether the weights may use the MaxSim feature
     */
    public RankerTraining.Fit train(Request request, boolean maxSim, Path weightsOut) throws IOException {
        return run(request, (evaluation, limits) -> {
            ingest(request, evaluation, limits);
            var candidates = evaluation.rankerCandidates(request.questions(), RetrievalMethod.HYBRID_PAGE_LEARNED,
                    maxSim);
            RankerTraining.Fit fit = RankerTraining.fit(candidates, maxSim, TRAINING_L2, TRAINING_ITERATIONS,
                    TRAINING_RATE);
            String trainedOn = String.format(Locale.ROOT, "%s (%d questions with a gold candidate)",
                    request.corpus().getFileName(), fit.questions());
            RankerTraining.write(weightsOut, fit, trainedOn);
            out.printf(Locale.ROOT, "fit on %d questions, loss %.4f; wrote %s%n", fit.questions(), fit.loss(),
                    weightsOut);
            out.flush();
            return fit;
        });
    }

    private static final double TRAINING_L2 = 1e-3;
    private static final int TRAINING_ITERATIONS = 3000;
    private static final double TRAINING_RATE = 0.5;

    /** What to do with the evaluation once model and store are open (ingesting included). */
    @FunctionalInterface
    public interface Evaluator<T> {
        T evaluate(RetrievalEvaluation evaluation, ChunkLimits limits) throws IOException;
    }

    /**
     * Opens the model and the store as {@link #run(Request)} does, hands them to {@code evaluator} (which ingests,
     * with {@link #ingest}, and scores what it wants), and cleans up after it; {@code request.questions()} is not
     * read.
     *
     * @throws IllegalArgumentException for a corpus or chunking the evaluation cannot use
     */
    public <T> T run(Request request, Evaluator<T> evaluator) throws IOException {
        try (OnnxEmbeddingModel embedder = new OnnxEmbeddingModel(request.encoder(), EmbedderOptions.defaults())) {
            ChunkLimits limits = request.chunking().limits(embedder.maxTokens());
            String tenant = request.tenant() != null ? request.tenant() : defaultTenant(request, embedder.name());
            Path indexDir = null;
            boolean temporaryIndex = false;
            if (request.store().equals("embedded")) {
                if (request.dataDir() != null) {
                    indexDir = request.dataDir().resolve("eval-index").resolve(LuceneChunkStore.directoryName(
                            embedder.name() + "-" + limits.maxTokens() + "-" + limits.headingPrefix().configValue()));
                } else {
                    indexDir = Files.createTempDirectory("sextant-eval-index-");
                    temporaryIndex = true;
                }
            }
            ChunkStore store = indexDir != null ? new LuceneChunkStore(indexDir, embedder.dimension())
                    : MilvusChunkStore.connect(request.milvusUri(), embedder.dimension());
            try {
                RetrievalEvaluation evaluation = new RetrievalEvaluation(embedder, store, tenant, request.tuning());
                out.printf(Locale.ROOT, "model %s, store %s%s, tenant %s, chunks of %d tokens (overlap %d), "
                                + "heading prefix %s%n", embedder.name(), request.store(),
                        indexDir != null ? " (" + indexDir + ")" : " (" + request.milvusUri() + ")", tenant,
                        limits.maxTokens(), limits.overlapTokens(), limits.headingPrefix().configValue());
                out.flush();
                T result = evaluator.evaluate(evaluation, limits);
                // Milvus holds what other runs and the application stored too: take this run's tenant out again.
                if (!request.keep() && indexDir == null) {
                    evaluation.removeIngested();
                }
                return result;
            } finally {
                if (store instanceof AutoCloseable closeable) {
                    closeQuietly(closeable);
                }
                if (temporaryIndex && !request.keep()) {
                    deleteRecursively(indexDir);
                } else if (temporaryIndex) {
                    err.println("kept the index in " + indexDir);
                }
            }
        }
    }

    private static String defaultTenant(Request request, String model) {
        String suffix = request.dataDir() != null
                ? Integer.toHexString(request.corpus().toAbsolutePath().normalize().toString().hashCode())
                : UUID.randomUUID().toString().substring(0, 8);
        return "eval-" + model + "-" + suffix;
    }

    /** Ingests the request's corpus (unchanged pages of a kept index are skipped) and prints what it did. */
    public RetrievalEvaluation.IngestRun ingest(Request request, RetrievalEvaluation evaluation, ChunkLimits limits) {
        RetrievalEvaluation.IngestRun ingest = evaluation.ingest(request.corpus(), limits, progress);
        progress.ingestFinished();
        for (var failure : ingest.report().failures()) {
            err.println("failed: " + failure.reason());
        }
        out.printf(Locale.ROOT, "ingest: %s in %.1f s%n", ingest.report().summary(), ingest.seconds());
        out.println("embedding inputs: " + ingest.inputs().summary());
        out.flush();
        return ingest;
    }

    private RetrievalReport evaluate(Request request, RetrievalEvaluation evaluation, ChunkLimits limits)
            throws IOException {
        RetrievalEvaluation.IngestRun ingest = ingest(request, evaluation, limits);
        RetrievalReport report = evaluation.evaluate(request.questions(), request.store(), ingest);
        out.printf(Locale.ROOT, "%d answerable questions (%d unanswerable not scored), top %d chunks "
                + "-> distinct sources%n%n", report.answerable(), request.questions().size() - report.answerable(),
                report.topK());
        out.print(report.markdownTable());
        if (request.out() != null) {
            report.writeJson(request.out());
            out.println();
            out.println("wrote " + request.out());
        }
        // print() does not flush an auto-flushing writer, and nothing else flushes it before the process exits.
        out.flush();
        return report;
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
