package dev.sextant.eval.retrieval;

import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.eval.metrics.RetrievalMetrics;
import dev.sextant.ingestion.IngestPathException;
import dev.sextant.ingestion.IngestProgress;
import dev.sextant.ingestion.IngestReport;
import dev.sextant.ingestion.IngestRequest;
import dev.sextant.ingestion.Ingestor;
import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.chunk.ChunkLimits;
import dev.sextant.rag.chunk.ChunkingPolicy;
import dev.sextant.rag.chunk.DocumentSplitter;
import dev.sextant.rag.chunk.RecursiveSplitter;
import dev.sextant.rag.document.FileTypeDocumentLoader;
import dev.sextant.rag.conversation.ChatModel;
import dev.sextant.rag.rerank.ChatModelReranker;
import dev.sextant.rag.rerank.LearnedReranker;
import dev.sextant.rag.rerank.MaxSimReranker;
import dev.sextant.rag.rerank.RankingFeatures;
import dev.sextant.rag.rerank.Reranker;
import dev.sextant.rag.retrieve.RetrievalRequest;
import dev.sextant.rag.retrieve.RetrievalResult;
import dev.sextant.rag.retrieve.Retriever;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.rag.store.lucene.KeywordScoring;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Retrieval quality of one embedding model and one chunk store on a labelled corpus: the corpus goes through the
 * application's own ingestion path ({@link Ingestor}, {@link FileTypeDocumentLoader}, {@link RecursiveSplitter}
 * sized in the model's tokens by the limits given, which {@link ChunkingPolicy#limits} makes as the application
 * does), then every question is retrieved in every {@link RetrievalMethod} (the chat judge's only with a chat
 * model) with the application's {@link Retriever}, the top {@link #TOP_K} chunks are turned into a ranking of distinct sources (first occurrence
 * counts) and scored against the question's gold sources with {@link RetrievalMetrics}.
 *
 * <p>Ingest once ({@link #ingest}), then {@link #evaluate} as often as needed. The store's source of a file is its
 * path relative to the ingested directory, which is what gold labels name.
 */
public final class RetrievalEvaluation {

    /** Candidates the chat-model judge looks at, from the top. */
    public static final int JUDGE_DEPTH = 5;
    /** Chunks retrieved per question. */
    public static final int TOP_K = 10;

    private final OnnxEmbeddingModel model;
    private final ChunkStore store;
    private final String tenant;
    private final Map<RetrievalMethod, Retriever> retrievers = new EnumMap<>(RetrievalMethod.class);
    /** The methods measured: every one, less the chat judge's without a chat model. */
    private final List<RetrievalMethod> methods;

    /**
     * What an evaluation may try instead of the methods' own settings.
     *
     * @param keywordScoring the keyword scoring of the methods that weight fields, or {@code null} for each
     *                       method's own
     * @param rankerWeights  the learned ranker's weights file, or {@code null} for the shipped ones
     * @param judge          the chat model of the {@code hybrid-page-chat} row, or {@code null} to leave it out
     */
    public record Tuning(KeywordScoring keywordScoring, Path rankerWeights, ChatModel judge) {
        public static final Tuning NONE = new Tuning(null, null, null);
    }

    public RetrievalEvaluation(OnnxEmbeddingModel model, ChunkStore store, String tenant) {
        this(model, store, tenant, Tuning.NONE);
    }

    public RetrievalEvaluation(OnnxEmbeddingModel model, ChunkStore store, String tenant, Tuning tuning) {
        this.model = Objects.requireNonNull(model, "model");
        this.store = Objects.requireNonNull(store, "store");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        MaxSimReranker maxSim = new MaxSimReranker(model);
        LearnedReranker learned = tuning.rankerWeights() != null ? LearnedReranker.read(tuning.rankerWeights(), maxSim)
                : LearnedReranker.shipped(maxSim);
        this.methods = Arrays.stream(RetrievalMethod.values())
                .filter(m -> m.rerank() != RetrievalMethod.Rerank.CHAT || tuning.judge() != null).toList();
        for (RetrievalMethod method : methods) {
            Reranker reranker = switch (method.rerank()) {
                case NONE -> Reranker.NONE;
                case MAXSIM -> maxSim;
                case LEARNED -> learned;
                case CHAT -> new ChatModelReranker(tuning.judge(), JUDGE_DEPTH);
            };
            retrievers.put(method, new Retriever(model, scored(method, tuning), method.fusion(), reranker,
                    model::countTokens));
        }
    }

    private ChunkStore scored(RetrievalMethod method, Tuning tuning) {
        KeywordScoring scoring = tuning.keywordScoring() != null && method.scoring() != KeywordScoring.BODY
                ? tuning.keywordScoring() : method.scoring();
        // Only the embedded store has more than one keyword scoring; the others score every method's the same.
        return store instanceof LuceneChunkStore lucene ? lucene.withKeywordScoring(scoring) : store;
    }

    /**
     * Every answerable question's candidates as the learned ranker sees them (the fused ranking of {@code method},
     * before reranking) with their features and gold labels: what {@link RankerTraining} fits.
     *
     * @param maxSim whether to compute the MaxSim feature
     */
    public List<RankerTraining.Question> rankerCandidates(List<LabelledQuestion> questions, RetrievalMethod method,
                                                          boolean maxSim) {
        List<Reranker.RerankRequest> seen = new ArrayList<>();
        // The application's own retrieval up to the reranker, which only records what it is given.
        Retriever capture = new Retriever(model, scored(method, Tuning.NONE), method.fusion(), request -> {
            seen.add(request);
            return new Reranker.RerankResult(request.candidates());
        });
        MaxSimReranker sims = new MaxSimReranker(model);
        List<RankerTraining.Question> out = new ArrayList<>();
        for (LabelledQuestion q : questions) {
            if (!q.answerable()) {
                continue;
            }
            seen.clear();
            capture.retrieve(new RetrievalRequest(tenant, q.question(), method.mode(), TOP_K, -1.0));
            Reranker.RerankRequest request = seen.getFirst();
            double[][] features = RankingFeatures.of(request,
                    maxSim ? sims.scores(request.query(), request.candidates()) : null);
            boolean[] gold = new boolean[features.length];
            for (int i = 0; i < gold.length; i++) {
                gold[i] = q.gold().contains(request.candidates().get(i).chunk().source());
            }
            out.add(new RankerTraining.Question(features, gold));
        }
        return out;
    }

    /**
     * What one ingest of the corpus did and how long it took.
     *
     * @param inputs the embedder's inputs of the chunks embedded in this run (not of unchanged documents skipped)
     */
    public record IngestRun(Path corpus, ChunkLimits limits, IngestReport report, double seconds,
                            EmbeddingInputs inputs) {
    }

    /**
     * Sizes of the texts the embedder was given ({@link Chunk#embeddingText()}), in the model's tokens.
     *
     * @param chunks          chunks embedded
     * @param meanTextTokens  mean tokens of a chunk's text alone
     * @param meanInputTokens mean tokens the encoder reads per chunk: prefix line + text + special tokens, at most
     *                        the model's limit (its cost per chunk)
     * @param longestInput    tokens of the longest input, special tokens included, before any truncation
     * @param truncated       inputs longer than the model's limit, whose end the encoder cut off
     */
    public record EmbeddingInputs(int chunks, double meanTextTokens, double meanInputTokens, int longestInput,
                                  int truncated) {

        /** One line for logs and reports. */
        public String summary() {
            return String.format(Locale.ROOT, "%d chunks embedded: %.1f text tokens, %.1f input tokens "
                    + "(special tokens included) on average, longest input %d, %d truncated", chunks,
                    meanTextTokens, meanInputTokens, longestInput, truncated);
        }
    }

    /** Measures what the splitter hands the embedder; used by one ingest at a time. */
    private static final class InputCounter {
        private final OnnxEmbeddingModel model;
        private int chunks;
        private long textTokens;
        private long inputTokens;
        private int longest;
        private int truncated;
        private long nanos;

        InputCounter(OnnxEmbeddingModel model) {
            this.model = model;
        }

        void add(List<Chunk> split) {
            long start = System.nanoTime();
            for (Chunk chunk : split) {
                int input = model.countTokens(chunk.embeddingText()) + ChunkLimits.SPECIAL_TOKENS;
                chunks++;
                textTokens += model.countTokens(chunk.text());
                inputTokens += Math.min(input, model.maxTokens());
                longest = Math.max(longest, input);
                truncated += input > model.maxTokens() ? 1 : 0;
            }
            nanos += System.nanoTime() - start;
        }

        EmbeddingInputs result() {
            return chunks == 0 ? new EmbeddingInputs(0, 0, 0, 0, 0)
                    : new EmbeddingInputs(chunks, (double) textTokens / chunks, (double) inputTokens / chunks,
                    longest, truncated);
        }
    }

    /**
     * Ingests every supported file under {@code corpus} into the store under this evaluation's tenant. Documents
     * already stored with the same content (a kept index) are skipped, as the ingest command does.
     *
     * @throws IllegalArgumentException if {@code corpus} is not a readable directory
     */
    public IngestRun ingest(Path corpus, ChunkLimits limits, IngestProgress.Listener listener) {
        if (!Files.isDirectory(corpus)) {
            throw new IllegalArgumentException("corpus " + corpus + " is not a directory");
        }
        RecursiveSplitter splitter = new RecursiveSplitter(limits, model::countTokens);
        InputCounter inputs = new InputCounter(model);
        DocumentSplitter measured = request -> {
            List<Chunk> chunks = splitter.split(request);
            inputs.add(chunks);
            return chunks;
        };
        Ingestor ingestor = new Ingestor(new FileTypeDocumentLoader(FileTypeDocumentLoader.DEFAULT_MAX_BYTES), measured, model, store);
        long start = System.nanoTime();
        IngestReport report;
        try {
            report = ingestor.ingest(new IngestRequest(List.of(corpus), tenant), listener);
        } catch (IngestPathException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        // The measuring (every chunk counted twice more) is not part of the ingest time.
        return new IngestRun(corpus, limits, report, (System.nanoTime() - start - inputs.nanos) / 1e9,
                inputs.result());
    }

    /**
     * Retrieves every question in every mode and scores the answerable ones.
     *
     * @param storeLabel how the report names the store ({@code embedded}, {@code milvus})
     * @param ingest     the ingest run to report with the figures (may be {@code null})
     */
    public RetrievalReport evaluate(List<LabelledQuestion> questions, String storeLabel, IngestRun ingest) {
        if (questions.stream().noneMatch(LabelledQuestion::answerable)) {
            throw new IllegalArgumentException("no question with a gold source to score");
        }
        Instant started = Instant.now();
        // One untimed query per mode first: class loading and the first ONNX call are not query latency.
        for (RetrievalMethod mode : methods) {
            retrieve(questions.get(0).question(), mode);
        }
        List<RetrievalReport.QuestionOutcome> outcomes = new ArrayList<>();
        Map<RetrievalMethod, long[]> nanos = new EnumMap<>(RetrievalMethod.class);
        methods.forEach(mode -> nanos.put(mode, new long[questions.size()]));
        int asked = 0;
        for (LabelledQuestion question : questions) {
            Map<RetrievalMethod, RetrievalReport.Ranking> rankings = new EnumMap<>(RetrievalMethod.class);
            for (RetrievalMethod mode : methods) {
                long start = System.nanoTime();
                RetrievalResult result = retrieve(question.question(), mode);
                nanos.get(mode)[asked] = System.nanoTime() - start;
                rankings.put(mode, ranking(result, question.gold()));
            }
            outcomes.add(new RetrievalReport.QuestionOutcome(question, rankings));
            asked++;
        }
        List<RetrievalReport.ModeSummary> summaries = new ArrayList<>();
        List<RetrievalReport.QuestionOutcome> scored = outcomes.stream()
                .filter(o -> o.question().answerable()).toList();
        for (RetrievalMethod mode : methods) {
            double r1 = 0;
            double r5 = 0;
            double r10 = 0;
            double mrr = 0;
            double ndcg = 0;
            for (RetrievalReport.QuestionOutcome o : scored) {
                List<String> ranked = o.rankings().get(mode).sources();
                Set<String> gold = o.question().gold();
                r1 += RetrievalMetrics.recallAtK(ranked, gold, 1);
                r5 += RetrievalMetrics.recallAtK(ranked, gold, 5);
                r10 += RetrievalMetrics.recallAtK(ranked, gold, 10);
                mrr += RetrievalMetrics.reciprocalRankAtK(ranked, gold, 10);
                ndcg += RetrievalMetrics.ndcgAtK(ranked, gold, 10);
            }
            int n = scored.size();
            long[] times = nanos.get(mode).clone();
            Arrays.sort(times);
            summaries.add(new RetrievalReport.ModeSummary(mode, r1 / n, r5 / n, r10 / n, mrr / n, ndcg / n,
                    Arrays.stream(times).sum() / 1e6 / times.length, percentile(times, 0.50) / 1e6,
                    percentile(times, 0.95) / 1e6));
        }
        return new RetrievalReport(started, model.name(), storeLabel, ingest, TOP_K, summaries, outcomes);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Removes every document of this evaluation's tenant from the store.
     *
     * @return chunks removed
     */
    public int removeIngested() {
        List<String> sources = List.copyOf(store.documents(new ChunkStore.DocumentListingRequest(tenant))
                .hashBySource().keySet());
        return sources.isEmpty() ? 0 : store.delete(new ChunkStore.DeleteRequest(tenant, sources)).chunksRemoved();
    }

    /**
     * One query's ranking of distinct sources, retrieved as {@link #evaluate} does (top {@link #TOP_K} chunks, no
     * score floor, no per-source limit), for evaluations of other question sets (conversations).
     */
    public RetrievalReport.Ranking rank(String query, RetrievalMethod method, Set<String> gold) {
        return ranking(retrieve(query, method), gold);
    }

    private RetrievalResult retrieve(String query, RetrievalMethod method) {
        // No score floor: the ranking is measured, not the threshold. The corpus terms are looked up as the
        // answerability gate does, so the evidence reported is what it decides from.
        return retrievers.get(method).retrieve(new RetrievalRequest(tenant, query, method.mode(), TOP_K, -1.0, 0,
                null, true));
    }

    /** Distinct sources of the matches in rank order (a source counts at its best chunk), with the evidence. */
    static RetrievalReport.Ranking ranking(RetrievalResult result, Set<String> gold) {
        List<ScoredChunk> matches = result.matches();
        Set<String> sources = new LinkedHashSet<>();
        for (ScoredChunk match : matches) {
            sources.add(match.chunk().source());
        }
        List<String> ranked = List.copyOf(sources);
        int firstGold = 0;
        for (int i = 0; i < ranked.size(); i++) {
            if (gold.contains(ranked.get(i))) {
                firstGold = i + 1;
                break;
            }
        }
        double topScore = matches.isEmpty() ? Double.NaN : matches.get(0).score();
        return new RetrievalReport.Ranking(ranked, firstGold, topScore, result.evidence());
    }
}
