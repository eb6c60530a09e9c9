package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import dev.sextant.bench.embeddings.CorpusParagraphs;
import dev.sextant.bench.embeddings.EmbeddingsBenchmark;
import dev.sextant.bench.embeddings.LangChain4jEmbedder;
import jakarta.enterprise.context.Dependent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** {@link EmbeddingsBenchmark} from the command line. */
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
        if (!LangChain4jEmbedder.MODELS.contains(model) || textCount < 1 || requestSize < 1 || clients < 1
                || rounds < 1) {
            err.println("sextant bench-embeddings: --model must be all-minilm-l6-v2-q or bge-small-en-v1.5-q; "
                    + "--texts, --request-size, --clients and --rounds must be positive");
            return 2;
        }
        List<String> texts = CorpusParagraphs.read(corpus, textCount);
        if (texts.isEmpty()) {
            err.println("sextant bench-embeddings: no text found under " + corpus);
            return 2;
        }
        new EmbeddingsBenchmark().run(new EmbeddingsBenchmark.Request(texts, corpus, model, requestSize, clients,
                threads, workers, maxBatch, rounds, out), spec.commandLine().getOut());
        return 0;
    }
}
