package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import jakarta.enterprise.context.Dependent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.bench.EmbeddingThroughput;
import dev.sextant.embeddings.bench.EmbeddingThroughput.Embedder;
import dev.sextant.embeddings.bench.EmbeddingThroughput.Measurement;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.rag.document.Document;
import dev.sextant.rag.document.FileTypeDocumentLoader;
import dev.sextant.rag.document.LoadRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import picocli.CommandLine;

@Dependent
@CommandLine.Command(name = "bench-embeddings", mixinStandardHelpOptions = true,
        description = "Texts per second of sextant's embedder against LangChain4j's in-process model (same ONNX "
                + "model, same texts, same run): bulk requests (ingestion) and concurrent single-text requests "
                + "(queries). Each workload runs --rounds times per engine, alternating; the best round counts.")
public class BenchEmbeddingsCommand implements Callable<Integer>, ToolCommand {

    @CommandLine.Option(names = "--corpus", required = true,
            description = "Directory of documents; their paragraphs (cut at 600 characters) are the texts.")
    Path corpus;

    @CommandLine.Option(names = "--model", defaultValue = "all-minilm-l6-v2-q",
            description = "all-minilm-l6-v2-q or bge-small-en-v1.5-q (both engines load the same ONNX file).")
    String model;

    @CommandLine.Option(names = "--texts", defaultValue = "2000")
    int textCount;

    @CommandLine.Option(names = "--request-size", defaultValue = "64", description = "Texts per bulk request.")
    int requestSize;

    @CommandLine.Option(names = "--clients", defaultValue = "16", description = "Concurrent single-text callers.")
    int clients;

    @CommandLine.Option(names = "--threads", defaultValue = "0", description = "sextant: ONNX Runtime threads per call (0: cores / workers).")
    int threads;

    @CommandLine.Option(names = "--workers", defaultValue = "0", description = "sextant: ONNX calls in flight (0: one per core).")
    int workers;

    @CommandLine.Option(names = "--max-batch", defaultValue = "0", description = "sextant: texts per ONNX call (0: 1 on CPU).")
    int maxBatch;

    @CommandLine.Option(names = "--rounds", defaultValue = "2")
    int rounds;

    @CommandLine.Option(names = "--out", description = "Also write the figures as JSON here.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(corpus)) {
            err.println("sextant bench-embeddings: --corpus " + corpus + " is not a directory");
            return 2;
        }
        EmbeddingModel langChain4j = switch (model) {
            case "all-minilm-l6-v2-q" -> new AllMiniLmL6V2QuantizedEmbeddingModel();
            case "bge-small-en-v1.5-q" -> new BgeSmallEnV15QuantizedEmbeddingModel();
            default -> null;
        };
        if (langChain4j == null || textCount < 1 || requestSize < 1 || clients < 1 || rounds < 1) {
            err.println("sextant bench-embeddings: --model must be all-minilm-l6-v2-q or bge-small-en-v1.5-q; "
                    + "--texts, --request-size, --clients and --rounds must be positive");
            return 2;
        }
        List<String> texts = paragraphs(corpus, textCount);
        if (texts.isEmpty()) {
            err.println("sextant bench-embeddings: no text found under " + corpus);
            return 2;
        }
        PrintWriter outWriter = spec.commandLine().getOut();
        try (OnnxEmbeddingModel sextant = new OnnxEmbeddingModel(EncoderSpec.forModel(model),
                EmbedderOptions.defaults().withIntraOpThreads(threads).withWorkers(workers).withMaxBatch(maxBatch))) {
            Embedder ours = batch -> sextant.embed(new EmbeddingRequest(batch));
            Embedder theirs = batch -> {
                if (batch.size() == 1) {
                    langChain4j.embed(batch.get(0));
                } else {
                    langChain4j.embedAll(batch.stream().map(TextSegment::from).toList());
                }
            };
            List<String> warmup = texts.subList(0, Math.min(texts.size(), 128));
            EmbeddingThroughput.bulk("warmup", ours, warmup, requestSize);
            EmbeddingThroughput.bulk("warmup", theirs, warmup, requestSize);
            outWriter.printf(Locale.ROOT, "%d texts (%d paragraphs of %s), model %s, %d cores%n", texts.size(),
                    texts.size(), corpus, model, Runtime.getRuntime().availableProcessors());
            outWriter.printf(Locale.ROOT, "%-15s %12s %12s %7s%n", "workload", "langchain4j", "sextant", "ratio");
            ObjectMapper json = new ObjectMapper();
            ArrayNode rows = json.createArrayNode();
            for (var workload : List.<BiFunction<String, Embedder, Measurement>>of(
                    (name, e) -> EmbeddingThroughput.bulk(name, e, texts, requestSize),
                    (name, e) -> EmbeddingThroughput.concurrent(name, e, texts, clients))) {
                Measurement bestTheirs = null;
                Measurement bestOurs = null;
                for (int r = 0; r < rounds; r++) {
                    bestTheirs = faster(bestTheirs, workload.apply("langchain4j", theirs));
                    bestOurs = faster(bestOurs, workload.apply("sextant", ours));
                }
                double ratio = bestOurs.textsPerSecond() / bestTheirs.textsPerSecond();
                outWriter.printf(Locale.ROOT, "%-15s %10.1f/s %10.1f/s %6.2fx%n", bestOurs.workload(),
                        bestTheirs.textsPerSecond(), bestOurs.textsPerSecond(), ratio);
                ObjectNode row = rows.addObject();
                row.put("workload", bestOurs.workload());
                row.put("langchain4j_texts_per_s", round(bestTheirs.textsPerSecond()));
                row.put("sextant_texts_per_s", round(bestOurs.textsPerSecond()));
                row.put("ratio", round(ratio));
            }
            var stats = sextant.stats();
            outWriter.printf(Locale.ROOT, "sextant: %.1f texts per ONNX call, padding overhead %.1f%%%n",
                    stats.meanBatchSize(), 100.0 * (stats.paddedTokens() - stats.tokens()) / stats.tokens());
            if (out != null) {
                ObjectNode root = json.createObjectNode();
                root.put("model", model);
                root.put("texts", texts.size());
                root.put("cores", Runtime.getRuntime().availableProcessors());
                root.put("corpus", corpus.toString());
                root.set("results", rows);
                json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
            }
        }
        return 0;
    }

    private static Measurement faster(Measurement best, Measurement candidate) {
        return best == null || candidate.seconds() < best.seconds() ? candidate : best;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Paragraphs of the corpus in file order, whitespace collapsed, at least 40 characters, cut at 600. */
    static List<String> paragraphs(Path root, int limit) throws IOException {
        FileTypeDocumentLoader loader = new FileTypeDocumentLoader(20_000_000);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(FileTypeDocumentLoader::isSupported).sorted().toList();
        }
        List<String> texts = new ArrayList<>();
        for (Path file : files) {
            Document document;
            try {
                document = loader.load(new LoadRequest(file, root.relativize(file).toString()));
            } catch (RuntimeException e) {
                continue;
            }
            for (Document.Section section : document.sections()) {
                for (String paragraph : section.text().split("\\n\\s*\\n")) {
                    String text = paragraph.replaceAll("\\s+", " ").strip();
                    if (text.length() < 40) {
                        continue;
                    }
                    if (text.length() > 600) {
                        int cut = text.lastIndexOf(' ', 600);
                        text = text.substring(0, cut > 0 ? cut : 600);
                    }
                    texts.add(text);
                    if (texts.size() == limit) {
                        return texts;
                    }
                }
            }
        }
        return texts;
    }
}
