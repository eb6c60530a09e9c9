package dev.sextant.bench.ingest;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.rag.chunk.ChunkLimits;
import dev.sextant.rag.chunk.ChunkingPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Pages per second of the whole ingestion path (load, split, embed, store) of sextant against LangChain4j's
 * {@code EmbeddingStoreIngestor} on the same HTML files in the same JVM. Engines alternate for {@code rounds} rounds
 * (LangChain4j first) after a warm-up ingest of a few files each; the best (fastest) round of each engine counts.
 * Both chunk as the application does by default ({@link ChunkingPolicy#DEFAULTS}: 96 MiniLM tokens, overlap 16).
 *
 * <p>Both pipelines are wrapped in timing decorators (per document for loading, splitting and embedding, per write
 * for the store, per call for token counting), so every round also reports where its time went. Each decorator adds
 * two {@code System.nanoTime()} calls per call it times, well under 0.1 % of a round.
 */
public final class IngestBenchmark {

    /**
     * @param warmupFiles pages each engine ingests once before the timed rounds, spread over the corpus
     * @param out         JSON results, rewritten after every round so that an interrupted run leaves what it
     *                    measured; null for none
     */
    public record Request(IngestCorpus corpus, int rounds, int warmupFiles, Path out) {
        public Request {
            Objects.requireNonNull(corpus, "corpus");
            if (corpus.isEmpty()) {
                throw new IllegalArgumentException("no .html files under " + corpus.root());
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be positive, got " + rounds);
            }
            if (warmupFiles < 0) {
                throw new IllegalArgumentException("warmupFiles must not be negative, got " + warmupFiles);
            }
        }
    }

    /** The rounds of one engine so far. */
    public record EngineRounds(String engine, String pipeline, List<RoundResult> rounds) {
        public EngineRounds {
            rounds = List.copyOf(rounds);
        }

        public RoundResult best() {
            return RoundResult.fastest(rounds);
        }
    }

    /**
     * What was measured (after every round: what was measured so far; both engines have as many rounds).
     *
     * @param warmupFiles pages each engine ingested before the timed rounds
     * @param limits      the chunking both engines used
     */
    public record Result(IngestCorpus corpus, int warmupFiles, ChunkLimits limits, EngineRounds langChain4j,
                         EngineRounds sextant) {

        public int rounds() {
            return sextant.rounds().size();
        }
    }

    private final PrintWriter progress;

    /** @param progress where the set-up line and one line per round go (stderr in the command) */
    public IngestBenchmark(PrintWriter progress) {
        this.progress = progress;
    }

    public Result run(Request request) throws IOException {
        IngestCorpus corpus = request.corpus();
        List<Path> warmup = corpus.spread(request.warmupFiles());
        try (OnnxEmbeddingModel model = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(),
                EmbedderOptions.defaults())) {
            ChunkLimits limits = ChunkingPolicy.DEFAULTS.limits(model.maxTokens());
            IngestRound ours = new SextantIngestRound(model, limits, corpus);
            IngestRound theirs = new LangChain4jIngestRound(new AllMiniLmL6V2QuantizedEmbeddingModel(),
                    new HuggingFaceTokenCountEstimator(), limits, model, corpus);

            progress.printf(Locale.ROOT, "bench-ingest: %d pages (%.1f MB) under %s; chunks of %d tokens, overlap %d; "
                            + "warm-up %d files each, then %d rounds each, alternating%n", corpus.files().size(),
                    corpus.bytes() / 1e6, corpus.root(), limits.maxTokens(), limits.overlapTokens(), warmup.size(),
                    request.rounds());
            progress.flush();
            if (!warmup.isEmpty()) {
                ours.warmUp(warmup);
                theirs.warmUp(warmup);
            }
            List<RoundResult> oursRounds = new ArrayList<>();
            List<RoundResult> theirsRounds = new ArrayList<>();
            Result result = null;
            for (int r = 1; r <= request.rounds(); r++) {
                RoundResult theirRound = theirs.measure();
                theirsRounds.add(theirRound);
                IngestBenchmarkReport.printProgress(progress, r, theirRound);
                RoundResult ourRound = ours.measure();
                oursRounds.add(ourRound);
                IngestBenchmarkReport.printProgress(progress, r, ourRound);
                result = new Result(corpus, warmup.size(), limits,
                        new EngineRounds(LangChain4jIngestRound.ENGINE, theirs.pipeline(), theirsRounds),
                        new EngineRounds(SextantIngestRound.ENGINE, ours.pipeline(), oursRounds));
                if (request.out() != null) {
                    IngestBenchmarkReport.writeJson(request.out(), result);
                }
            }
            return result;
        }
    }
}
