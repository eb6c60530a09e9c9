package dev.sextant.eval.suite;

import dev.sextant.eval.answers.GroundednessMetric;
import dev.sextant.eval.answers.ReferenceMatch;
import dev.sextant.eval.answers.RefusalDetector;
import dev.sextant.eval.load.LoadGenerator;
import dev.sextant.eval.load.LoadProfile;
import dev.sextant.eval.load.LoadRequest;
import dev.sextant.eval.load.Percentiles;
import dev.sextant.eval.load.StepResult;
import dev.sextant.eval.metrics.RetrievalMetrics;
import dev.sextant.eval.retrieval.LabelledQuestion;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a checked suite against a running server: retrieval per mode, streamed answers (citations, groundedness,
 * refusals, reference answers, TTFT, cost), conversations turn by turn ({@link ConversationPlay}), cache pairs, and
 * the load profile. Progress goes to {@code progress}.
 */
public final class SuiteRunner {

    /** Quotes questions into load request bodies: called once per request, so made once. */
    private static final com.fasterxml.jackson.databind.ObjectMapper QUOTER =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final int DEFAULT_TOP_K = 10;
    private static final int DEFAULT_ANSWER_TOKENS = 64;

    private final SuiteLoader.LoadedSuite suite;
    private final TargetClient target;
    private final PrintWriter progress;

    public SuiteRunner(SuiteLoader.LoadedSuite suite, URI base, String apiKey, String adminKey,
                       PrintWriter progress) {
        this.suite = suite;
        this.target = new TargetClient(base, apiKey, adminKey);
        this.progress = progress;
    }

    public SuiteResult run(String targetLabel) throws InterruptedException {
        SuiteDefinition s = suite.definition();
        List<LabelledQuestion> questions = questions(suite.path(s.questions()));
        List<String> modes = s.retrieval() != null && s.retrieval().modes() != null ? s.retrieval().modes()
                : List.of("hybrid");
        int topK = s.retrieval() != null && s.retrieval().topK() != null ? s.retrieval().topK() : DEFAULT_TOP_K;

        Map<String, Map<String, Double>> retrieval = new LinkedHashMap<>();
        Map<String, List<String>> rankedByQuestion = new LinkedHashMap<>();
        for (String mode : modes) {
            retrieval.put(mode, retrieval(questions, mode, topK, rankedByQuestion));
        }

        boolean answer = s.answers() == null || !Boolean.FALSE.equals(s.answers().enabled());
        List<SuiteResult.QuestionResult> rows = new ArrayList<>();
        SuiteResult.AnswerSummary answers = null;
        SuiteResult.LatencySummary latency = null;
        SuiteResult.CostSummary cost = null;
        if (answer) {
            int limit = s.answers() != null && s.answers().limit() != null ? Math.min(s.answers().limit(),
                    questions.size()) : questions.size();
            int maxTokens = s.answers() != null && s.answers().maxTokens() != null ? s.answers().maxTokens()
                    : DEFAULT_ANSWER_TOKENS;
            target.flushCache();
            AnswerRuns runs = answers(questions.subList(0, limit), maxTokens, rankedByQuestion);
            rows.addAll(runs.rows());
            answers = runs.summary();
            latency = new SuiteResult.LatencySummary(latency(runs.ttftNanos()), latency(runs.totalNanos()),
                    load(s, questions));
            cost = runs.cost();
        } else if (s.load() != null) {
            latency = new SuiteResult.LatencySummary(null, null, load(s, questions));
        }
        SuiteResult.ConversationSummary conversations = null;
        if (s.conversations() != null) {
            int maxTokens = !answer ? 0 : s.answers() != null && s.answers().maxTokens() != null
                    ? s.answers().maxTokens() : DEFAULT_ANSWER_TOKENS;
            conversations = new ConversationPlay(target, progress).play(suite.path(s.conversations()), modes.get(0),
                    topK, maxTokens);
        }
        SuiteResult.CacheSummary cache = s.cachePairs() == null ? null : cachePairs(s.cachePairs());
        return new SuiteResult(s.name(), LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                targetLabel, retrieval, answers, cache, latency, cost, rows, List.of(), conversations);
    }

    /** The questions file in the format of eval/corpora (with reference answers when given). */
    private static List<LabelledQuestion> questions(java.nio.file.Path file) {
        try {
            return LabelledQuestion.readAll(file);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new SuiteException(file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Double> retrieval(List<LabelledQuestion> questions, String mode, int topK,
                                          Map<String, List<String>> rankedByQuestion) {
        double[] sums = new double[SuiteMetrics.RETRIEVAL.size()];
        int answerable = 0;
        for (int i = 0; i < questions.size(); i++) {
            LabelledQuestion q = questions.get(i);
            List<String> ranked = distinctSources(target.retrieve(q.question(), mode, topK));
            rankedByQuestion.putIfAbsent(q.id(), ranked);
            if (q.answerable()) {
                answerable++;
                sums[0] += RetrievalMetrics.recallAtK(ranked, q.gold(), 1);
                sums[1] += RetrievalMetrics.recallAtK(ranked, q.gold(), 3);
                sums[2] += RetrievalMetrics.recallAtK(ranked, q.gold(), 5);
                sums[3] += RetrievalMetrics.recallAtK(ranked, q.gold(), 10);
                sums[4] += RetrievalMetrics.reciprocalRankAtK(ranked, q.gold(), 10);
                sums[5] += RetrievalMetrics.ndcgAtK(ranked, q.gold(), 10);
            }
            tick("retrieval " + mode, i + 1, questions.size());
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int m = 0; m < sums.length; m++) {
            out.put(SuiteMetrics.RETRIEVAL.get(m), answerable == 0 ? Double.NaN : sums[m] / answerable);
        }
        return out;
    }

    private static List<String> distinctSources(List<TargetClient.Retrieved> results) {
        Set<String> seen = new LinkedHashSet<>();
        results.forEach(r -> seen.add(r.source()));
        return List.copyOf(seen);
    }

    private record AnswerRuns(List<SuiteResult.QuestionResult> rows, SuiteResult.AnswerSummary summary,
                              long[] ttftNanos, long[] totalNanos, SuiteResult.CostSummary cost) {
    }

    private AnswerRuns answers(List<LabelledQuestion> questions, int maxTokens,
                               Map<String, List<String>> rankedByQuestion) {
        List<SuiteResult.QuestionResult> rows = new ArrayList<>();
        AnswerTally tally = new AnswerTally();
        long[] ttft = new long[questions.size()];
        long[] total = new long[questions.size()];
        int withTtft = 0;
        for (int i = 0; i < questions.size(); i++) {
            LabelledQuestion q = questions.get(i);
            TargetClient.Answer a = target.chat(q.question(), maxTokens);
            List<String> cited = a.citations().stream().filter(TargetClient.Cited::cited)
                    .map(TargetClient.Cited::source).distinct().toList();
            List<String> context = a.citations().stream().map(TargetClient.Cited::source).distinct().toList();
            boolean refused = RefusalDetector.isRefusal(a.text());
            double grounded = GroundednessMetric.groundedness(a.text(), a.citations().stream()
                    .map(TargetClient.Cited::text).toList(), target::embed).score();
            Double f1 = q.reference() == null ? null : ReferenceMatch.tokenF1(a.text(), q.reference());
            tally.add(q, cited, context, refused, grounded, f1, a);
            List<String> ranked = rankedByQuestion.getOrDefault(q.id(), List.of());
            rows.add(new SuiteResult.QuestionResult(q.id(), q.question(), q.answerable(), List.copyOf(q.gold()),
                    ranked, q.answerable() ? RetrievalMetrics.reciprocalRankAtK(ranked, q.gold(), 10) : 0,
                    a.text(), q.reference(), cited, context, refused, grounded, f1,
                    a.ttftNanos() < 0 ? Double.NaN : a.ttftNanos() / 1e6, a.totalNanos() / 1e6, a.costUsd()));
            if (a.ttftNanos() >= 0) {
                ttft[withTtft++] = a.ttftNanos();
            }
            total[i] = a.totalNanos();
            tick("answers", i + 1, questions.size());
        }
        return new AnswerRuns(rows, tally.summary(), java.util.Arrays.copyOf(ttft, withTtft), total,
                tally.cost(questions.size()));
    }

    private SuiteResult.CacheSummary cachePairs(SuiteDefinition.CachePairs settings) {
        List<CachePair> pairs = CachePair.read(suite.path(settings.file()));
        if (settings.limit() != null) {
            pairs = pairs.subList(0, Math.min(settings.limit(), pairs.size()));
        }
        CacheTally tally = new CacheTally();
        for (int i = 0; i < pairs.size(); i++) {
            CachePair p = pairs.get(i);
            // Each pair starts from an empty cache, so only its first question can answer its second.
            target.flushCache();
            boolean refused = Boolean.FALSE.equals(target.chat(p.first(), 8).answerable());
            tally.add(p, refused, target.chat(p.second(), 8).cached());
            tick("cache pairs", i + 1, pairs.size());
        }
        target.flushCache();
        return tally.summary();
    }

    private List<StepResult> load(SuiteDefinition s, List<LabelledQuestion> questions) throws InterruptedException {
        if (s.load() == null) {
            return null;
        }
        var l = s.load();
        LoadProfile profile = LoadProfile.of(l.rates(), Duration.ofSeconds(l.seconds() == null ? 10 : l.seconds()))
                .withWarmUp(Duration.ofSeconds(l.warmupSeconds() == null ? 2 : l.warmupSeconds()))
                .withRequestTimeout(Duration.ofSeconds(120));
        int maxTokens = l.maxTokens() == null ? 16 : l.maxTokens();
        URI chat = target.uri("v1/chat/completions");
        progress.println("eval: load " + l.rates() + " requests/s");
        progress.flush();
        try (LoadGenerator generator = new LoadGenerator()) {
            var report = generator.runOpenLoop(s.name(), profile, sequence -> {
                LabelledQuestion q = questions.get((int) (sequence % questions.size()));
                String body = "{\"messages\": [{\"role\": \"user\", \"content\": " + quote(q.question())
                        + "}], \"max_tokens\": " + maxTokens + ", \"stream\": true}";
                LoadRequest request = LoadRequest.postJson(chat, body).streaming();
                return target.apiKey() == null ? request : request.withHeader("authorization", "Bearer "
                        + target.apiKey());
            });
            return report.steps();
        }
    }

    private static String quote(String text) {
        try {
            return QUOTER.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static SuiteResult.Latency latency(long[] nanos) {
        if (nanos.length == 0) {
            return new SuiteResult.Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        double mean = java.util.Arrays.stream(sorted).average().orElse(Double.NaN) / 1e6;
        return new SuiteResult.Latency(sorted.length, Percentiles.nearestRank(sorted, 50) / 1e6,
                Percentiles.nearestRank(sorted, 95) / 1e6, Percentiles.nearestRank(sorted, 99) / 1e6, mean,
                sorted[sorted.length - 1] / 1e6);
    }

    private void tick(String phase, int done, int total) {
        if (done == total || done % 10 == 0) {
            progress.printf("eval: %s %d/%d%n", phase, done, total);
            progress.flush();
        }
    }
}
