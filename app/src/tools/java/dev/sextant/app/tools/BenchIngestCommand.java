package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import jakarta.enterprise.context.Dependent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.document.DocumentTransformer;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.document.transformer.jsoup.HtmlToTextDocumentTransformer;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.ingestion.IngestReport;
import dev.sextant.ingestion.IngestRequest;
import dev.sextant.ingestion.Ingestor;
import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.chunk.ChunkLimits;
import dev.sextant.rag.chunk.DocumentSplitter;
import dev.sextant.rag.chunk.RecursiveSplitter;
import dev.sextant.rag.chunk.TokenCounter;
import dev.sextant.rag.document.Document;
import dev.sextant.rag.document.DocumentLoader;
import dev.sextant.rag.document.FileTypeDocumentLoader;
import dev.sextant.rag.document.LoadRequest;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Pages per second of the whole ingestion path (load, split, embed, store) of sextant against LangChain4j's
 * {@code EmbeddingStoreIngestor} on the same HTML files in the same JVM. Engines alternate for {@code --rounds}
 * rounds after a warm-up ingest of a few files each; the best (fastest) round of each engine counts.
 *
 * <p>Both pipelines are wrapped in timing decorators (per document for loading, splitting and embedding, per write
 * for the store, per call for token counting), so every round also reports where its time went. Each decorator adds
 * two {@code System.nanoTime()} calls per call it times, well under 0.1 % of a round.
 */
@Dependent
@CommandLine.Command(name = "bench-ingest", mixinStandardHelpOptions = true,
        description = "Pages and chunks per second of sextant's ingestion (FileTypeDocumentLoader, RecursiveSplitter "
                + "in MiniLM tokens, ONNX MiniLM q8, Lucene store in a fresh temp dir, committed) against "
                + "LangChain4j's EmbeddingStoreIngestor (TextDocumentParser + HtmlToTextDocumentTransformer, "
                + "DocumentSplitters.recursive in the same tokens, AllMiniLmL6V2QuantizedEmbeddingModel, "
                + "InMemoryEmbeddingStore) on the same *.html files of --corpus, same run.")
public class BenchIngestCommand implements Callable<Integer>, ToolCommand {

    private static final String TENANT = "bench";
    private static final int OVERLAP_TOKENS = 16;
    private static final long MAX_FILE_BYTES = 20_000_000; // sextant.chunking.max-file-bytes default

    @CommandLine.Option(names = "--corpus", paramLabel = "DIR", description = "Directory whose *.html files (at any "
            + "depth) are ingested by both engines.")
    Path corpus;

    // Numbers are parsed here rather than by picocli, so a bad value is one line and exit code 2.
    @CommandLine.Option(names = "--rounds", paramLabel = "N", defaultValue = "2", description = "Timed rounds per "
            + "engine, alternating (default 2); the best counts.")
    String rounds;

    @CommandLine.Option(names = "--warmup-files", paramLabel = "N", defaultValue = "20", description = "Files each "
            + "engine ingests once before the timed rounds (default 20, spread over the corpus).")
    String warmupFiles;

    @CommandLine.Option(names = "--out", paramLabel = "FILE.json", description = "Also write the figures as JSON.")
    Path out;

    @CommandLine.Unmatched
    List<String> unmatched = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One timed ingest of one engine. */
    record Round(String engine, int pages, int chunks, double seconds, Map<String, Double> phases,
                 long tokenCountCalls, Cpu cpu, ChunkStats stats) {

        double pagesPerSecond() {
            return pages / seconds;
        }

        double chunksPerSecond() {
            return chunks / seconds;
        }
    }

    /**
     * Chunk sizes, counted after the clock stopped with the MiniLM tokenizer for both engines (LangChain4j's
     * HuggingFaceTokenCountEstimator uses the same BERT uncased vocabulary).
     *
     * @param meanEmbeddedTokens what the encoder reads per chunk: [CLS] + the embedded text + [SEP], cut at the
     *                           model's 128 tokens (sextant embeds title and headings before the chunk text)
     * @param truncated          chunks whose embedded text the encoder cut off at 128 tokens
     */
    record ChunkStats(double meanChars, double meanTokens, double meanEmbeddedTokens, int truncated) {
        static final ChunkStats NONE = new ChunkStats(0, 0, 0, 0);

        static ChunkStats of(List<String> texts, List<String> embedded, OnnxEmbeddingModel model) {
            if (texts.isEmpty()) {
                return NONE;
            }
            long chars = 0;
            long tokens = 0;
            long read = 0;
            int truncated = 0;
            for (int i = 0; i < texts.size(); i++) {
                chars += texts.get(i).length();
                tokens += model.countTokens(texts.get(i));
                int withSpecials = model.countTokens(embedded.get(i)) + 2;
                read += Math.min(withSpecials, model.maxTokens());
                truncated += withSpecials > model.maxTokens() ? 1 : 0;
            }
            double n = texts.size();
            return new ChunkStats(chars / n, tokens / n, read / n, truncated);
        }
    }

    /**
     * CPU time during a round, from /proc/stat and the JVM: this process's, every other process's (another job on
     * the machine slows the round down), and the hypervisor's steal; -1 where not available.
     */
    record Cpu(double processSeconds, double otherSeconds, double stealSeconds) {

        private static final double USER_HZ = 100.0;

        /** A reading to subtract a later one from. */
        record Mark(double process, double busy, double steal) {
        }

        static Mark mark() {
            double process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1e9;
            try {
                // cpu  user nice system idle iowait irq softirq steal ...
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                        + Long.parseLong(f[6]) + Long.parseLong(f[7]);
                return new Mark(process, busy / USER_HZ, Long.parseLong(f[8]) / USER_HZ);
            } catch (IOException | RuntimeException e) {
                return new Mark(process, -1, -1);
            }
        }

        static Cpu since(Mark start) {
            Mark end = mark();
            double process = end.process() - start.process();
            if (start.busy() < 0 || end.busy() < 0) {
                return new Cpu(process, -1, -1);
            }
            return new Cpu(process, Math.max(0, end.busy() - start.busy() - process), end.steal() - start.steal());
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        String usage = "usage: sextant bench-ingest --corpus DIR [--rounds N] [--warmup-files N] [--out FILE.json]";
        if (!unmatched.isEmpty()) {
            return fail(err, "unexpected argument '" + unmatched.get(0) + "'; " + usage);
        }
        if (corpus == null) {
            return fail(err, "--corpus DIR is required; " + usage);
        }
        if (!Files.isDirectory(corpus)) {
            return fail(err, "--corpus " + corpus + " is not a directory");
        }
        int roundCount = parseInt(rounds);
        if (roundCount < 1) {
            return fail(err, "--rounds must be a positive integer, got '" + rounds + "'");
        }
        int warmupCount = parseInt(warmupFiles);
        if (warmupCount < 0) {
            return fail(err, "--warmup-files must be a non-negative integer, got '" + warmupFiles + "'");
        }
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(out)) {
                return fail(err, "--out " + out + ": not a file in an existing directory");
            }
        }
        Path root = corpus.toAbsolutePath().normalize();
        List<Path> files = htmlFiles(root);
        if (files.isEmpty()) {
            return fail(err, "no .html files under " + root);
        }
        long corpusBytes = 0;
        for (Path file : files) {
            corpusBytes += Files.size(file);
        }
        List<String> sources = files.stream().map(f -> source(root, f)).toList();
        List<Path> warmup = spread(files, warmupCount);

        try (OnnxEmbeddingModel model = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(),
                EmbedderOptions.defaults())) {
            // As Components.splitter sizes chunks for the default config: the model's limit - 32 (96 for MiniLM).
            int maxTokens = Math.max(16, model.maxTokens() - 32);
            var langChain4jModel = new AllMiniLmL6V2QuantizedEmbeddingModel();
            var estimator = new HuggingFaceTokenCountEstimator();
            Sextant ours = new Sextant(model, maxTokens, root, sources);
            LangChain4j theirs = new LangChain4j(langChain4jModel, estimator, maxTokens, model);

            err.printf(Locale.ROOT, "bench-ingest: %d pages (%.1f MB) under %s; chunks of %d tokens, overlap %d; "
                            + "warm-up %d files each, then %d rounds each, alternating%n", files.size(),
                    corpusBytes / 1e6, root, maxTokens, OVERLAP_TOKENS, warmup.size(), roundCount);
            err.flush();
            if (!warmup.isEmpty()) {
                ours.run(warmup, false);
                theirs.run(warmup, false);
            }
            List<Round> oursRounds = new ArrayList<>();
            List<Round> theirsRounds = new ArrayList<>();
            for (int r = 1; r <= roundCount; r++) {
                Round theirRound = theirs.run(files, true);
                theirsRounds.add(theirRound);
                progress(err, r, theirRound);
                Round ourRound = ours.run(files, true);
                oursRounds.add(ourRound);
                progress(err, r, ourRound);
                if (out != null) { // after every round, so that an interrupted run leaves what it measured
                    writeJson(out, root, files.size(), corpusBytes, warmup.size(), maxTokens, theirsRounds,
                            oursRounds);
                }
            }
            Round bestTheirs = fastest(theirsRounds);
            Round bestOurs = fastest(oursRounds);
            printTable(outWriter, root, files.size(), corpusBytes, roundCount, bestTheirs, bestOurs);
        }
        return 0;
    }

    private static void printTable(PrintWriter out, Path root, int pages, long corpusBytes, int roundCount,
                                   Round theirs, Round ours) {
        out.printf(Locale.ROOT, "%d pages (%.1f MB of HTML) under %s, %d cores, best of %d rounds%n", pages,
                corpusBytes / 1e6, root, Runtime.getRuntime().availableProcessors(), roundCount);
        out.printf(Locale.ROOT, "%-12s %6s %7s %8s %8s %9s %8s %8s %9s %9s%n", "engine", "pages", "chunks",
                "seconds", "pages/s", "chunks/s", "chars/ch", "tok/ch", "embed/ch", "truncated");
        for (Round round : List.of(theirs, ours)) {
            ChunkStats st = round.stats();
            out.printf(Locale.ROOT, "%-12s %6d %7d %8.1f %8.2f %9.1f %8.0f %8.1f %9.1f %9d%n", round.engine(),
                    round.pages(), round.chunks(), round.seconds(), round.pagesPerSecond(), round.chunksPerSecond(),
                    st.meanChars(), st.meanTokens(), st.meanEmbeddedTokens(), st.truncated());
        }
        out.printf(Locale.ROOT, "ratio sextant / langchain4j: pages/s %.2fx, chunks/s %.2fx%n",
                ours.pagesPerSecond() / theirs.pagesPerSecond(), ours.chunksPerSecond() / theirs.chunksPerSecond());
        out.println("(chars/ch, tok/ch: mean chunk text; embed/ch: mean tokens the encoder reads per chunk, "
                + "[CLS]/[SEP] and sextant's title/heading line included; truncated: chunks cut at 128 tokens)");
        for (Round round : List.of(theirs, ours)) {
            out.printf(Locale.ROOT, "%s phases (s): %s; %d token counts, %.1f us each%n", round.engine(),
                    phases(round.phases()), round.tokenCountCalls(),
                    1e6 * round.phases().get("token counting") / Math.max(1, round.tokenCountCalls()));
        }
        for (Round round : List.of(theirs, ours)) {
            if (round.cpu().otherSeconds() > 0.05 * round.seconds() * Runtime.getRuntime().availableProcessors()) {
                out.printf(Locale.ROOT, "warning: other processes used %.0f CPU-seconds during the best %s round "
                        + "(%.0f s); its figures are disturbed%n", round.cpu().otherSeconds(), round.engine(),
                        round.seconds());
            }
        }
        out.flush();
    }

    private static void writeJson(Path file, Path root, int pages, long corpusBytes, int warmupFiles, int maxTokens,
                                  List<Round> theirsRounds, List<Round> oursRounds) throws IOException {
        Round theirs = fastest(theirsRounds);
        Round ours = fastest(oursRounds);
        ObjectMapper json = new ObjectMapper();
        ObjectNode rootNode = json.createObjectNode();
        rootNode.put("date", LocalDate.now().toString());
        rootNode.put("corpus", root.toString());
        rootNode.put("pages", pages);
        rootNode.put("corpus_mb", round(corpusBytes / 1e6));
        rootNode.put("cores", Runtime.getRuntime().availableProcessors());
        rootNode.put("java", Runtime.version().toString());
        rootNode.put("rounds", oursRounds.size());
        rootNode.put("warmup_files", warmupFiles);
        rootNode.put("chunk_max_tokens", maxTokens);
        rootNode.put("chunk_overlap_tokens", OVERLAP_TOKENS);
        ArrayNode engines = rootNode.putArray("engines");
        for (List<Round> rounds : List.of(theirsRounds, oursRounds)) {
            Round best = fastest(rounds);
            ObjectNode node = engines.addObject();
            node.put("engine", best.engine());
            node.put("pipeline", best.engine().equals("sextant") ? Sextant.DESCRIPTION : LangChain4j.DESCRIPTION);
            node.put("pages", best.pages());
            node.put("chunks", best.chunks());
            node.put("seconds", round(best.seconds()));
            node.put("pages_per_s", round(best.pagesPerSecond()));
            node.put("chunks_per_s", round(best.chunksPerSecond()));
            node.put("mean_chunk_chars", round(best.stats().meanChars()));
            node.put("mean_chunk_tokens", round(best.stats().meanTokens()));
            node.put("mean_embedded_tokens", round(best.stats().meanEmbeddedTokens()));
            node.put("chunks_truncated", best.stats().truncated());
            ObjectNode phaseNode = node.putObject("phases_s");
            best.phases().forEach((name, seconds) -> phaseNode.put(name, round(seconds)));
            node.put("token_count_calls", best.tokenCountCalls());
            ObjectNode cpu = node.putObject("cpu_s");
            cpu.put("this_process", round(best.cpu().processSeconds()));
            cpu.put("other_processes", round(best.cpu().otherSeconds()));
            cpu.put("steal", round(best.cpu().stealSeconds()));
            ArrayNode all = node.putArray("rounds");
            for (Round r : rounds) {
                all.addObject().put("seconds", round(r.seconds()))
                        .put("other_processes_cpu_s", round(r.cpu().otherSeconds()));
            }
        }
        rootNode.put("ratio_pages_per_s", round(ours.pagesPerSecond() / theirs.pagesPerSecond()));
        rootNode.put("ratio_chunks_per_s", round(ours.chunksPerSecond() / theirs.chunksPerSecond()));
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), rootNode);
    }

    private static int fail(PrintWriter err, String message) {
        err.println("sextant bench-ingest: " + message);
        return 2;
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void progress(PrintWriter err, int round, Round r) {
        err.printf(Locale.ROOT, "round %d %-11s %d pages, %d chunks in %.1f s (%.2f pages/s, %.1f chunks/s); CPU-s: "
                        + "this process %.0f, other processes %.0f, steal %.0f%n", round, r.engine(), r.pages(),
                r.chunks(), r.seconds(), r.pagesPerSecond(), r.chunksPerSecond(), r.cpu().processSeconds(),
                r.cpu().otherSeconds(), r.cpu().stealSeconds());
        err.flush();
    }

    private static Round fastest(List<Round> rounds) {
        return rounds.stream().min(Comparator.comparingDouble(Round::seconds)).orElseThrow();
    }

    private static String phases(Map<String, Double> phases) {
        StringBuilder sb = new StringBuilder();
        phases.forEach((name, seconds) -> sb.append(sb.isEmpty() ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.2f", name, seconds)));
        return sb.toString();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * Regular files named {@code *.html} at any depth, sorted by path: the same set the Ingestor picks with
     * {@code --include '*.html'}, in the same order.
     */
    static List<Path> htmlFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".html"))
                    .sorted(Comparator.comparing(p -> source(root, p)))
                    .toList();
        }
    }

    private static String source(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** {@code count} files spread evenly over the list. */
    static List<Path> spread(List<Path> files, int count) {
        if (count >= files.size()) {
            return files;
        }
        List<Path> picked = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            picked.add(files.get((int) ((long) i * files.size() / count)));
        }
        return picked;
    }

    /** A glob matching exactly this source path. */
    private static String literalGlob(String source) {
        StringBuilder sb = new StringBuilder();
        for (char c : source.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Nanoseconds per phase; each decorator below is called from the ingesting thread only. */
    static final class Phases {
        long load;
        long split;
        long count;
        long countCalls;
        long embed;
        long store;
    }

    /** The ingestion path as the app wires it (Components), each part behind a timing decorator. */
    static final class Sextant {

        static final String DESCRIPTION = "Ingestor: FileTypeDocumentLoader (jsoup; drops nav/header/footer/sidebar, "
                + "sections per h1..h6) -> RecursiveSplitter(ChunkLimits(96, 16, 128), MiniLM countTokens) -> "
                + "OnnxEmbeddingModel(all-MiniLM-L6-v2 q8, defaults: one worker per core, one text per call) -> "
                + "LuceneChunkStore in a fresh temp dir (HNSW + BM25, one commit per 32 documents); timed from "
                + "opening the store to the end of the last commit";

        private final OnnxEmbeddingModel model;
        private final int maxTokens;
        private final Path root;
        private final List<String> expectedSources;

        Sextant(OnnxEmbeddingModel model, int maxTokens, Path root, List<String> expectedSources) {
            this.model = model;
            this.maxTokens = maxTokens;
            this.root = root;
            this.expectedSources = expectedSources;
        }

        /** @param all true: every {@code *.html} under the root (checked to be the expected list); false: these files */
        Round run(List<Path> files, boolean all) throws IOException {
            Phases phases = new Phases();
            List<String> loaded = new ArrayList<>();
            List<Chunk> chunkList = new ArrayList<>();
            TokenCounter counter = text -> {
                long t = System.nanoTime();
                int n = model.countTokens(text);
                phases.count += System.nanoTime() - t;
                phases.countCalls++;
                return n;
            };
            FileTypeDocumentLoader fileLoader = new FileTypeDocumentLoader(MAX_FILE_BYTES);
            DocumentLoader loader = request -> {
                long t = System.nanoTime();
                Document doc = fileLoader.load(request);
                phases.load += System.nanoTime() - t;
                loaded.add(request.source());
                return doc;
            };
            RecursiveSplitter recursive = new RecursiveSplitter(new ChunkLimits(maxTokens, OVERLAP_TOKENS,
                    model.maxTokens()), counter);
            DocumentSplitter splitter = request -> {
                long t = System.nanoTime();
                List<Chunk> chunks = recursive.split(request);
                phases.split += System.nanoTime() - t;
                chunkList.addAll(chunks);
                return chunks;
            };
            EmbeddingModel embedder = new EmbeddingModel() {
                @Override
                public EmbeddingResult embed(EmbeddingRequest request) {
                    long t = System.nanoTime();
                    EmbeddingResult result = model.embed(request);
                    phases.embed += System.nanoTime() - t;
                    return result;
                }

                @Override
                public int dimension() {
                    return model.dimension();
                }

                @Override
                public String name() {
                    return model.name();
                }
            };
            List<String> includes = all ? List.of("*.html")
                    : files.stream().map(f -> literalGlob(source(root, f))).toList();
            Path dir = Files.createTempDirectory("sextant-bench-ingest");
            System.gc();
            IngestReport report;
            Cpu cpu;
            Cpu.Mark cpuStart = Cpu.mark();
            long start = System.nanoTime();
            long end;
            try (LuceneChunkStore lucene = new LuceneChunkStore(dir, model.dimension())) {
                ChunkStore store = new TimedStore(lucene, phases);
                report = new Ingestor(loader, splitter, embedder, store).ingest(new IngestRequest(List.of(root),
                        TENANT, includes, List.of(), false, false));
                end = System.nanoTime(); // ingest returns after the last replace() has committed
                cpu = Cpu.since(cpuStart);
                if (report.chunksWritten() != lucene.size()) {
                    throw new IllegalStateException("sextant wrote " + report.chunksWritten() + " chunks but the "
                            + "store holds " + lucene.size());
                }
            } finally {
                deleteTree(dir);
            }
            if (!report.failures().isEmpty()) {
                throw new IllegalStateException("sextant failed on " + report.failures().size() + " files, first: "
                        + report.failures().get(0).reason());
            }
            if (all && !loaded.equals(expectedSources)) {
                throw new IllegalStateException("sextant's Ingestor loaded " + loaded.size() + " files, not the "
                        + expectedSources.size() + " of the benchmark's list");
            }
            long wall = end - start;
            Map<String, Double> phaseSeconds = new LinkedHashMap<>();
            phaseSeconds.put("load+parse", seconds(phases.load));
            phaseSeconds.put("split (excl. token counting)", seconds(phases.split - phases.count));
            phaseSeconds.put("token counting", seconds(phases.count));
            phaseSeconds.put("embed", seconds(phases.embed));
            phaseSeconds.put("lucene (add+commit)", seconds(phases.store));
            phaseSeconds.put("other", seconds(wall - phases.load - phases.split - phases.embed - phases.store));
            ChunkStats stats = all ? ChunkStats.of(chunkList.stream().map(Chunk::text).toList(),
                    chunkList.stream().map(Chunk::embeddingText).toList(), model) : ChunkStats.NONE;
            return new Round("sextant", report.ingested(), report.chunksWritten(), seconds(wall), phaseSeconds,
                    phases.countCalls, cpu, stats);
        }
    }

    /** Times the store's writes (replace: Lucene adds, HNSW inserts, commit, merges) and its listing. */
    private record TimedStore(ChunkStore delegate, Phases phases) implements ChunkStore {

        @Override
        public ReplaceResult replace(ReplaceRequest request) {
            long t = System.nanoTime();
            try {
                return delegate.replace(request);
            } finally {
                phases.store += System.nanoTime() - t;
            }
        }

        @Override
        public DeleteResult delete(DeleteRequest request) {
            long t = System.nanoTime();
            try {
                return delegate.delete(request);
            } finally {
                phases.store += System.nanoTime() - t;
            }
        }

        @Override
        public SearchResult search(SearchRequest request) {
            return delegate.search(request);
        }

        @Override
        public DocumentListing documents(DocumentListingRequest request) {
            long t = System.nanoTime();
            try {
                return delegate.documents(request);
            } finally {
                phases.store += System.nanoTime() - t;
            }
        }
    }

    /** LangChain4j's documented ingestion recipe, with the splitter sized in the same tokens as ours. */
    static final class LangChain4j {

        static final String DESCRIPTION = "FileSystemDocumentLoader.loadDocument(file, TextDocumentParser) -> "
                + "EmbeddingStoreIngestor(HtmlToTextDocumentTransformer() (whole page, langchain4j-document-"
                + "transformer-jsoup 1.11.0-beta19, the newest on Maven Central), DocumentSplitters.recursive(96, 16, "
                + "HuggingFaceTokenCountEstimator()), AllMiniLmL6V2QuantizedEmbeddingModel() (its default executor: "
                + "one thread per core), InMemoryEmbeddingStore); timed from reading the first file to the end of "
                + "ingest()";

        private final AllMiniLmL6V2QuantizedEmbeddingModel model;
        private final HuggingFaceTokenCountEstimator estimator;
        private final int maxTokens;
        private final OnnxEmbeddingModel counter;

        LangChain4j(AllMiniLmL6V2QuantizedEmbeddingModel model, HuggingFaceTokenCountEstimator estimator,
                    int maxTokens, OnnxEmbeddingModel counter) {
            this.model = model;
            this.estimator = estimator;
            this.maxTokens = maxTokens;
            this.counter = counter;
        }

        /** @param measured false for the warm-up: skips the mean token count after the clock stopped */
        Round run(List<Path> files, boolean measured) {
            Phases phases = new Phases();
            List<String> segmentTexts = new ArrayList<>();
            TokenCountEstimator timedEstimator = new TokenCountEstimator() {
                @Override
                public int estimateTokenCountInText(String text) {
                    long t = System.nanoTime();
                    int n = estimator.estimateTokenCountInText(text);
                    phases.count += System.nanoTime() - t;
                    phases.countCalls++;
                    return n;
                }

                @Override
                public int estimateTokenCountInMessage(ChatMessage message) {
                    return estimator.estimateTokenCountInMessage(message);
                }

                @Override
                public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
                    return estimator.estimateTokenCountInMessages(messages);
                }
            };
            HtmlToTextDocumentTransformer htmlToText = new HtmlToTextDocumentTransformer();
            DocumentTransformer transformer = document -> {
                long t = System.nanoTime();
                var transformed = htmlToText.transform(document);
                phases.load += System.nanoTime() - t;
                return transformed;
            };
            var recursive = DocumentSplitters.recursive(maxTokens, OVERLAP_TOKENS, timedEstimator);
            dev.langchain4j.data.document.DocumentSplitter splitter = document -> {
                long t = System.nanoTime();
                List<TextSegment> segments = recursive.split(document);
                phases.split += System.nanoTime() - t;
                segments.forEach(s -> segmentTexts.add(s.text()));
                return segments;
            };
            System.gc();
            Cpu.Mark cpuStart = Cpu.mark();
            long start = System.nanoTime();
            TextDocumentParser parser = new TextDocumentParser();
            List<dev.langchain4j.data.document.Document> documents = new ArrayList<>(files.size());
            for (Path file : files) {
                documents.add(FileSystemDocumentLoader.loadDocument(file, parser));
            }
            long read = System.nanoTime() - start;
            InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
            EmbeddingStoreIngestor.builder()
                    .documentTransformer(transformer)
                    .documentSplitter(splitter)
                    .embeddingModel(model)
                    .embeddingStore(store)
                    .build()
                    .ingest(documents);
            long wall = System.nanoTime() - start;
            Cpu cpu = Cpu.since(cpuStart);
            if (store.size() != segmentTexts.size()) {
                throw new IllegalStateException("langchain4j stored " + store.size() + " segments of "
                        + segmentTexts.size());
            }
            Map<String, Double> phaseSeconds = new LinkedHashMap<>();
            phaseSeconds.put("read files", seconds(read));
            phaseSeconds.put("html-to-text", seconds(phases.load));
            phaseSeconds.put("split (excl. token counting)", seconds(phases.split - phases.count));
            phaseSeconds.put("token counting", seconds(phases.count));
            phaseSeconds.put("embed+in-memory store", seconds(wall - read - phases.load - phases.split));
            // What LangChain4j embeds is the segment text itself.
            ChunkStats stats = measured ? ChunkStats.of(segmentTexts, segmentTexts, counter) : ChunkStats.NONE;
            return new Round("langchain4j", files.size(), segmentTexts.size(), seconds(wall), phaseSeconds,
                    phases.countCalls, cpu, stats);
        }
    }
}
