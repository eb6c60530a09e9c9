package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import dev.sextant.app.ingest.IngestProgressPrinter;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.eval.conversation.HttpChatModel;
import dev.sextant.eval.retrieval.LabelledQuestion;
import dev.sextant.eval.retrieval.RetrievalEvaluation;
import dev.sextant.eval.retrieval.RetrievalRun;
import dev.sextant.ingestion.Ingestor;
import dev.sextant.rag.chunk.ChunkingPolicy;
import dev.sextant.rag.chunk.HeadingPrefix;
import dev.sextant.rag.store.lucene.KeywordScoring;
import dev.sextant.router.config.SextantConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/** {@link RetrievalRun} from the command line. */
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
            + "DIR/eval-index/<model>-<chunk tokens>-<heading prefix>-layout<N> and reuse it next time (unchanged pages are "
            + "skipped); default: a temporary directory, deleted afterwards.")
    Path dataDir;

    @CommandLine.Option(names = "--tenant", description = "Tenant the corpus is ingested under (default: "
            + "eval-<model>-<hash of the corpus path> with --data-dir, so the kept index is reused; else a new one per "
            + "run, eval-<model>-<random>).")
    String tenant;

    @CommandLine.Option(names = "--keep", description = "Leave the ingested chunks in the store (default: remove "
            + "them at the end unless the embedded index lives in --data-dir).")
    boolean keep;

    @CommandLine.Option(names = "--out", paramLabel = "FILE.json", description = "Also write the figures and "
            + "every question's ranking as JSON here.")
    Path out;

    @CommandLine.Option(names = "--keyword-scoring", paramLabel = "title=W,heading=W,identifier=W,phrase=W",
            description = "embedded: the keyword weights of the methods that weight fields (keyword-fields, "
                    + "hybrid-page-fields, ...), to try weights; default: each method's own.")
    String keywordScoring;

    @CommandLine.Option(names = "--ranker-weights", paramLabel = "FILE.properties", description = "Weights of the "
            + "learned reranker (hybrid-page-learned), as train-ranker writes them; default: the shipped ones.")
    Path rankerWeights;

    @CommandLine.Option(names = "--judge-url", paramLabel = "URL", description = "An OpenAI-compatible server "
            + "(e.g. ./sextant inference on http://127.0.0.1:8090) whose chat model judges hybrid-page's first "
            + "candidates relevant or not: adds the hybrid-page-chat row (one call per candidate).")
    URI judgeUrl;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    SextantConfig config;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String problem = checkArguments();
        if (problem != null) {
            return fail(err, problem);
        }
        List<LabelledQuestion> labelled;
        try {
            labelled = LabelledQuestion.readAll(questions);
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
        RetrievalRun.GoldCheck gold = RetrievalRun.GoldCheck.of(labelled, corpus);
        if (gold.noneFound()) {
            return fail(err, "none of the " + gold.gold().size() + " gold sources of " + questions
                    + " is a file under " + corpus + " (wrong --corpus?)");
        }
        if (!gold.missing().isEmpty()) {
            err.println("warning: " + gold.missing().size() + " gold sources are not under " + corpus + ": "
                    + String.join(", ", gold.missing()));
        }
        String uri = milvusUri != null ? milvusUri : config.store().milvusUri();
        if (store.equals("milvus")) {
            String unreachable = RetrievalRun.checkReachable(uri);
            if (unreachable != null) {
                return fail(err, unreachable);
            }
        }
        EncoderSpec encoder;
        try {
            encoder = EncoderSpec.forModel(model);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return fail(err, "--model: " + e.getMessage());
        }
        KeywordScoring scoring = null;
        if (keywordScoring != null) {
            try {
                scoring = KeywordScoring.parse(keywordScoring);
            } catch (IllegalArgumentException e) {
                return fail(err, "--keyword-scoring: " + e.getMessage());
            }
        }
        ChunkingPolicy chunking = ChunkingPolicy.DEFAULTS;
        if (chunkTokens != null) {
            chunking = chunking.withMaxTokens(chunkTokens);
        }
        if (headingPrefix != null) {
            chunking = chunking.withHeadingPrefix(HeadingPrefix.fromConfig(headingPrefix));
        }
        // The progress printer says what the ingestor's periodic log lines would (on stdout, among the table).
        INGESTOR_LOG.setLevel(Level.WARNING);
        IngestProgressPrinter printer = new IngestProgressPrinter(err, System.console() != null);
        try {
            new RetrievalRun(spec.commandLine().getOut(), err, RetrievalRun.Progress.of(printer, printer::finish))
                    .run(new RetrievalRun.Request(corpus, labelled, encoder, store, uri, chunking, dataDir, tenant,
                            keep, out, new RetrievalEvaluation.Tuning(scoring, rankerWeights,
                            judgeUrl == null ? null : new HttpChatModel(judgeUrl, null, Duration.ofSeconds(60)))));
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
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
        if (!RetrievalRun.STORES.contains(store)) {
            return "--store must be embedded or milvus, got '" + store + "'";
        }
        if (headingPrefix != null) {
            try {
                HeadingPrefix.fromConfig(headingPrefix);
            } catch (IllegalArgumentException e) {
                return "--heading-prefix must be path, nearest or none, got '" + headingPrefix + "'";
            }
        }
        if (chunkTokens != null && chunkTokens <= ChunkingPolicy.DEFAULT_OVERLAP_TOKENS) {
            return "--chunk-tokens must be larger than the overlap (" + ChunkingPolicy.DEFAULT_OVERLAP_TOKENS
                    + "), got " + chunkTokens;
        }
        if (tenant != null && tenant.isBlank()) {
            return "--tenant must not be empty";
        }
        if (rankerWeights != null && !Files.isRegularFile(rankerWeights)) {
            return "--ranker-weights " + rankerWeights + " is not a file";
        }
        if (judgeUrl != null && (judgeUrl.getScheme() == null || !judgeUrl.getScheme().startsWith("http"))) {
            return "--judge-url must be an http(s) URL, got '" + judgeUrl + "'";
        }
        if (out != null && Files.isDirectory(out)) {
            return "--out " + out + " is a directory";
        }
        return null;
    }

    private static int fail(PrintWriter err, String message) {
        err.println(NAME + message);
        return 2;
    }
}
