package dev.sextant.eval.report;

import dev.sextant.eval.load.LatencyStats;
import dev.sextant.eval.load.OutcomeCounts;
import dev.sextant.eval.load.StepResult;
import dev.sextant.eval.load.StepSpec;
import dev.sextant.eval.suite.SuiteResult;
import dev.sextant.eval.suite.SuiteResult.AnswerSummary;
import dev.sextant.eval.suite.SuiteResult.CacheSummary;
import dev.sextant.eval.suite.SuiteResult.CostSummary;
import dev.sextant.eval.suite.SuiteResult.Latency;
import dev.sextant.eval.suite.SuiteResult.LatencySummary;
import dev.sextant.eval.suite.SuiteResult.PairResult;
import dev.sextant.eval.suite.SuiteResult.QuestionResult;
import dev.sextant.eval.suite.SuiteResult.Regression;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built suite results for the report tests. */
final class ReportFixtures {

    static final String HOSTILE = "<script>alert(\"x\")</script> & 'quotes' </textarea><!--";
    static final String LONG_ANSWER = ("VACUUM reclaims storage occupied by dead tuples [1]. ").repeat(12).strip();

    private ReportFixtures() {
    }

    static Map<String, Double> retrievalMode(double r1, double r3, double r5, double r10, double mrr, double ndcg) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("recall@1", r1);
        m.put("recall@3", r3);
        m.put("recall@5", r5);
        m.put("recall@10", r10);
        m.put("mrr@10", mrr);
        m.put("ndcg@10", ndcg);
        return m;
    }

    /** Every section filled in; one regression; URLs only in the target and sources. */
    static SuiteResult full() {
        Map<String, Map<String, Double>> retrieval = new LinkedHashMap<>();
        retrieval.put("hybrid", retrievalMode(0.5, 0.75, 0.875, 1.0, 0.68, 0.74));
        retrieval.put("dense", retrievalMode(0.375, 0.625, 0.75, 0.875, 0.55, 0.62));
        retrieval.put("keyword", retrievalMode(0.25, 0.5, 0.625, 0.75, 0.41, 0.5));
        List<QuestionResult> questions = List.of(
                new QuestionResult("q1", "How does VACUUM reclaim space?", true,
                        List.of("postgres/sql-vacuum.html"),
                        List.of("postgres/routine-vacuuming.html", "postgres/sql-vacuum.html", "postgres/mvcc.html"),
                        0.5, LONG_ANSWER, "It marks dead tuples' space reusable.",
                        List.of("postgres/sql-vacuum.html", "postgres/mvcc.html"),
                        List.of("postgres/sql-vacuum.html", "postgres/mvcc.html", "postgres/routine-vacuuming.html"),
                        false, 1.0, 0.42, 180, 1420,
                        0.0041),
                new QuestionResult("q2", HOSTILE, true, List.of("https://example.org/gold.html"),
                        List.of("https://example.org/other.html", "https://example.org/gold.html"), 0.5,
                        "Use " + HOSTILE + " [1].", null, List.of("https://example.org/gold.html"),
                        List.of("https://example.org/gold.html"), false, 0.5, null,
                        95, 880, 0.0022),
                new QuestionResult("q3", "What is the default port?", true, List.of("postgres/runtime-config.html"),
                        List.of("postgres/runtime-config.html"), 1.0, "The default port is 5432 [1].", "5432",
                        List.of("postgres/runtime-config.html"), List.of("postgres/runtime-config.html"), false, 1.0, 0.5, 120, 640, 0.0018),
                new QuestionResult("q4", "Who won the 1998 World Cup?", false, List.of(), List.of("python/faq.html"),
                        0.0, "I don't know.", null, List.of(), List.of(), true, 1.0, null, Double.NaN, 310, 0.0042));
        return new SuiteResult("smoke", "2026-11-29T10:00:00Z", "http://localhost:8080", retrieval,
                new AnswerSummary(3, 1, 0.8333, 0.6667, 0.8333, 0.0, 0.4733, 1.0, 0.0, 0.7778, 0.8889),
                new CacheSummary(2, 1, 0.5, 0.0, 1, List.of(
                        new PairResult("default port?", "which port by default?", true, true, false),
                        new PairResult("vacuum?", "what does VACUUM do", true, false, false),
                        new PairResult("capital of France?", "France's capital?", true, false, true),
                        new PairResult("default port?", "default user?", false, false, false))),
                new LatencySummary(new Latency(3, 120, 180, 180, 131.67, 180),
                        new Latency(4, 640, 1420, 1420, 812.5, 1420), List.of(step())),
                new CostSummary(0.0123, 0.003075, 4000, 600), questions,
                List.of(new Regression("answers.groundedness", "min", 0.8333, 0.9,
                        "answers.groundedness 0.833 < min 0.9")), null);
    }

    /** An older run to compare with: better groundedness, worse retrieval, no keyword mode. */
    static SuiteResult baseline() {
        SuiteResult full = full();
        Map<String, Map<String, Double>> retrieval = new LinkedHashMap<>();
        retrieval.put("hybrid", retrievalMode(0.25, 0.5, 0.75, 0.875, 0.6, 0.65));
        retrieval.put("dense", retrievalMode(0.25, 0.375, 0.5, 0.75, 0.45, 0.52));
        return new SuiteResult(full.suite(), "2026-11-01T10:00:00Z", full.target(), retrieval,
                new AnswerSummary(3, 1, 0.9, 0.7, 0.95, 0.0, 0.45, 1.0, 0.0, null, null), full.cache(), full.latency(),
                new CostSummary(0.0150, 0.00375, 4200, 700), full.questions(), List.of(), null);
    }

    /** Only the questions: no retrieval, answers, cache, latency or cost section. */
    static SuiteResult bare() {
        SuiteResult full = full();
        return new SuiteResult("bare", full.date(), "embedded", null, null, null, null, null, full.questions(),
                List.of(), null);
    }

    private static StepResult step() {
        StepSpec spec = new StepSpec(StepSpec.Mode.OPEN, 2.0, 0, 10, 2, 0, 30);
        LatencyStats latency = new LatencyStats(20, 900, 850, 1300, 1500, 1500, 1500);
        return new StepResult(spec, 20, 20, new OutcomeCounts(19, 1, 0, 0, 0, 0, 0, 0, 0), 10, 1.9, latency,
                latency, LatencyStats.NONE, LatencyStats.NONE, null);
    }
}
