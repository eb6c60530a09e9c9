package dev.sextant.bench.embeddings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.bench.EmbeddingThroughput;
import dev.sextant.embeddings.bench.EmbeddingThroughput.Embedder;
import dev.sextant.embeddings.bench.EmbeddingThroughput.Measurement;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Texts per second of sextant's embedder ({@link OnnxEmbeddingModel}) against LangChain4j's in-process model (same
 * ONNX model, same texts, same run), in two workloads of {@link EmbeddingThroughput}: bulk requests (ingestion) and
 * concurrent single-text requests (queries). Each workload runs {@code rounds} times per engine, alternating
 * (LangChain4j first); the best round counts.
 */
public final class EmbeddingsBenchmark {

    /** Texts each engine embeds once, in bulk, before anything is measured. */
    private static final int WARMUP_TEXTS = 128;

    /**
     * @param texts       what both engines embed ({@link CorpusParagraphs})
     * @param corpus      where the texts came from, for the report
     * @param model       one of {@link LangChain4jEmbedder#MODELS}
     * @param requestSize texts per bulk request
     * @param clients     concurrent single-text callers
     * @param threads     sextant: ONNX Runtime threads per call (0: cores / workers)
     * @param workers     sextant: ONNX calls in flight (0: one per core)
     * @param maxBatch    sextant: texts per ONNX call (0: 1 on CPU)
     * @param out         JSON results, or null
     */
    public record Request(List<String> texts, Path corpus, String model, int requestSize, int clients, int threads,
                          int workers, int maxBatch, int rounds, Path out) {
        public Request {
            texts = List.copyOf(texts);
            Objects.requireNonNull(model, "model");
            if (texts.isEmpty()) {
                throw new IllegalArgumentException("no texts to embed");
            }
            if (requestSize < 1 || clients < 1 || rounds < 1) {
                throw new IllegalArgumentException("requestSize, clients and rounds must be positive");
            }
        }
    }

    /** The best round of each engine in one workload. */
    public record WorkloadResult(String workload, double langChain4jTextsPerSecond, double sextantTextsPerSecond) {
        public double ratio() {
            return sextantTextsPerSecond / langChain4jTextsPerSecond;
        }
    }

    /**
     * @param meanBatchSize   sextant's texts per ONNX call over the whole run
     * @param paddingOverhead sextant's padded tokens beyond the real ones, as a fraction of the real ones
     */
    public record Result(List<WorkloadResult> workloads, double meanBatchSize, double paddingOverhead) {
        public Result {
            workloads = List.copyOf(workloads);
        }
    }

    /** Runs both workloads, printing the table to {@code out} as they finish. */
    public Result run(Request request, PrintWriter out) throws IOException {
        Embedder theirs = LangChain4jEmbedder.forModel(request.model());
        List<String> texts = request.texts();
        List<WorkloadResult> rows = new ArrayList<>();
        double meanBatch;
        double padding;
        try (OnnxEmbeddingModel sextant = new OnnxEmbeddingModel(EncoderSpec.forModel(request.model()),
                EmbedderOptions.defaults().withIntraOpThreads(request.threads()).withWorkers(request.workers())
                        .withMaxBatch(request.maxBatch()))) {
            Embedder ours = batch -> sextant.embed(new EmbeddingRequest(batch));
            List<String> warmup = texts.subList(0, Math.min(texts.size(), WARMUP_TEXTS));
            EmbeddingThroughput.bulk("warmup", ours, warmup, request.requestSize());
            EmbeddingThroughput.bulk("warmup", theirs, warmup, request.requestSize());
            out.printf(Locale.ROOT, "%d texts (%d paragraphs of %s), model %s, %d cores%n", texts.size(),
                    texts.size(), request.corpus(), request.model(), Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "%-15s %12s %12s %7s%n", "workload", "langchain4j", "sextant", "ratio");
            for (var workload : List.<BiFunction<String, Embedder, Measurement>>of(
                    (name, e) -> EmbeddingThroughput.bulk(name, e, texts, request.requestSize()),
                    (name, e) -> EmbeddingThroughput.concurrent(name, e, texts, request.clients()))) {
                Measurement bestTheirs = null;
                Measurement bestOurs = null;
                for (int r = 0; r < request.rounds(); r++) {
                    bestTheirs = faster(bestTheirs, workload.apply("langchain4j", theirs));
                    bestOurs = faster(bestOurs, workload.apply("sextant", ours));
                }
                WorkloadResult row = new WorkloadResult(bestOurs.workload(), bestTheirs.textsPerSecond(),
                        bestOurs.textsPerSecond());
                rows.add(row);
                out.printf(Locale.ROOT, "%-15s %10.1f/s %10.1f/s %6.2fx%n", row.workload(),
                        row.langChain4jTextsPerSecond(), row.sextantTextsPerSecond(), row.ratio());
            }
            var stats = sextant.stats();
            meanBatch = stats.meanBatchSize();
            padding = (double) (stats.paddedTokens() - stats.tokens()) / stats.tokens();
            out.printf(Locale.ROOT, "sextant: %.1f texts per ONNX call, padding overhead %.1f%%%n", meanBatch,
                    100.0 * padding);
        }
        out.flush();
        Result result = new Result(rows, meanBatch, padding);
        if (request.out() != null) {
            writeJson(request, result);
        }
        return result;
    }

    private static void writeJson(Request request, Result result) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("model", request.model());
        root.put("texts", request.texts().size());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("corpus", request.corpus().toString());
        ArrayNode rows = root.putArray("results");
        for (WorkloadResult w : result.workloads()) {
            ObjectNode row = rows.addObject();
            row.put("workload", w.workload());
            row.put("langchain4j_texts_per_s", round(w.langChain4jTextsPerSecond()));
            row.put("sextant_texts_per_s", round(w.sextantTextsPerSecond()));
            row.put("ratio", round(w.ratio()));
        }
        json.writerWithDefaultPrettyPrinter().writeValue(request.out().toFile(), root);
    }

    private static Measurement faster(Measurement best, Measurement candidate) {
        return best == null || candidate.seconds() < best.seconds() ? candidate : best;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
