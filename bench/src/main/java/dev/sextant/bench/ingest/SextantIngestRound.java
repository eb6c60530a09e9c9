package dev.sextant.bench.ingest;

import static dev.sextant.bench.ingest.PhaseTimes.seconds;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;
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
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The ingestion path as the app wires it (Components), each part behind a timing decorator. */
final class SextantIngestRound implements IngestRound {

    static final String ENGINE = "sextant";
    private static final String TENANT = "bench";

    private final OnnxEmbeddingModel model;
    private final ChunkLimits limits;
    private final IngestCorpus corpus;

    SextantIngestRound(OnnxEmbeddingModel model, ChunkLimits limits, IngestCorpus corpus) {
        this.model = model;
        this.limits = limits;
        this.corpus = corpus;
    }

    @Override
    public String pipeline() {
        return String.format(Locale.ROOT, "Ingestor: FileTypeDocumentLoader (jsoup; drops nav/header/footer/sidebar, "
                + "sections per h1..h6) -> RecursiveSplitter(ChunkLimits(%d, %d, %d), MiniLM countTokens) -> "
                + "OnnxEmbeddingModel(all-MiniLM-L6-v2 q8, defaults: one worker per core, one text per call) -> "
                + "LuceneChunkStore in a fresh temp dir (HNSW + BM25, one commit per 32 documents); timed from "
                + "opening the store to the end of the last commit", limits.maxTokens(), limits.overlapTokens(),
                limits.modelTokens());
    }

    @Override
    public void warmUp(List<Path> files) throws IOException {
        run(files, false);
    }

    @Override
    public RoundResult measure() throws IOException {
        return run(corpus.files(), true);
    }

    /** @param all true: every {@code *.html} under the root (checked to be the corpus's list); false: these files */
    private RoundResult run(List<Path> files, boolean all) throws IOException {
        PhaseTimes phases = new PhaseTimes();
        List<String> loaded = new ArrayList<>();
        List<Chunk> chunkList = new ArrayList<>();
        TokenCounter counter = text -> {
            long t = System.nanoTime();
            int n = model.countTokens(text);
            phases.count += System.nanoTime() - t;
            phases.countCalls++;
            return n;
        };
        FileTypeDocumentLoader fileLoader = new FileTypeDocumentLoader(FileTypeDocumentLoader.DEFAULT_MAX_BYTES);
        DocumentLoader loader = request -> {
            long t = System.nanoTime();
            Document doc = fileLoader.load(request);
            phases.load += System.nanoTime() - t;
            loaded.add(request.source());
            return doc;
        };
        RecursiveSplitter recursive = new RecursiveSplitter(limits, counter);
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
                : files.stream().map(f -> IngestCorpus.literalGlob(corpus.source(f))).toList();
        Path dir = Files.createTempDirectory("sextant-bench-ingest");
        System.gc();
        IngestReport report;
        CpuUsage cpu;
        CpuUsage.Mark cpuStart = CpuUsage.mark();
        long start = System.nanoTime();
        long end;
        try (LuceneChunkStore lucene = new LuceneChunkStore(dir, model.dimension())) {
            ChunkStore store = new TimedChunkStore(lucene, phases);
            report = new Ingestor(loader, splitter, embedder, store).ingest(new IngestRequest(
                    List.of(corpus.root()), TENANT, includes, List.of(), false, false));
            end = System.nanoTime(); // ingest returns after the last replace() has committed
            cpu = CpuUsage.since(cpuStart);
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
        if (all && !loaded.equals(corpus.sources())) {
            throw new IllegalStateException("sextant's Ingestor loaded " + loaded.size() + " files, not the "
                    + corpus.sources().size() + " of the benchmark's list");
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
                chunkList.stream().map(Chunk::embeddingText).toList(), model::countTokens, model.maxTokens())
                : ChunkStats.NONE;
        return new RoundResult(ENGINE, report.ingested(), report.chunksWritten(), seconds(wall), phaseSeconds,
                phases.countCalls, cpu, stats);
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
}
