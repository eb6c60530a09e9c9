package dev.sextant.bench.ingest;

import static dev.sextant.bench.ingest.PhaseTimes.seconds;

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
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.rag.chunk.ChunkLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LangChain4j's documented ingestion recipe, with the splitter sized in the same tokens as ours (its chunk size and
 * overlap; it has no heading line to fit).
 */
final class LangChain4jIngestRound implements IngestRound {

    static final String ENGINE = "langchain4j";

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;
    private final HuggingFaceTokenCountEstimator estimator;
    private final ChunkLimits limits;
    private final OnnxEmbeddingModel counter;
    private final IngestCorpus corpus;

    /** @param counter sextant's MiniLM, for the chunk sizes counted after the clock stopped (as for sextant's round) */
    LangChain4jIngestRound(AllMiniLmL6V2QuantizedEmbeddingModel model, HuggingFaceTokenCountEstimator estimator,
                           ChunkLimits limits, OnnxEmbeddingModel counter, IngestCorpus corpus) {
        this.model = model;
        this.estimator = estimator;
        this.limits = limits;
        this.counter = counter;
        this.corpus = corpus;
    }

    @Override
    public String pipeline() {
        return String.format(Locale.ROOT, "FileSystemDocumentLoader.loadDocument(file, TextDocumentParser) -> "
                + "EmbeddingStoreIngestor(HtmlToTextDocumentTransformer() (whole page, langchain4j-document-"
                + "transformer-jsoup 1.11.0-beta19, the newest on Maven Central), DocumentSplitters.recursive(%d, %d, "
                + "HuggingFaceTokenCountEstimator()), AllMiniLmL6V2QuantizedEmbeddingModel() (its default executor: "
                + "one thread per core), InMemoryEmbeddingStore); timed from reading the first file to the end of "
                + "ingest()", limits.maxTokens(), limits.overlapTokens());
    }

    @Override
    public void warmUp(List<Path> files) {
        run(files, false);
    }

    @Override
    public RoundResult measure() {
        return run(corpus.files(), true);
    }

    /** @param measured false for the warm-up: skips the mean token count after the clock stopped */
    private RoundResult run(List<Path> files, boolean measured) {
        PhaseTimes phases = new PhaseTimes();
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
        var recursive = DocumentSplitters.recursive(limits.maxTokens(), limits.overlapTokens(), timedEstimator);
        dev.langchain4j.data.document.DocumentSplitter splitter = document -> {
            long t = System.nanoTime();
            List<TextSegment> segments = recursive.split(document);
            phases.split += System.nanoTime() - t;
            segments.forEach(s -> segmentTexts.add(s.text()));
            return segments;
        };
        System.gc();
        CpuUsage.Mark cpuStart = CpuUsage.mark();
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
        CpuUsage cpu = CpuUsage.since(cpuStart);
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
        ChunkStats stats = measured ? ChunkStats.of(segmentTexts, segmentTexts, counter::countTokens,
                counter.maxTokens()) : ChunkStats.NONE;
        return new RoundResult(ENGINE, files.size(), segmentTexts.size(), seconds(wall), phaseSeconds,
                phases.countCalls, cpu, stats);
    }
}
