package dev.sextant.eval.suite;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The named numbers a suite result flattens into, which thresholds and baselines refer to, and which way is better
 * for each.
 */
public final class SuiteMetrics {

    public static final List<String> MODES = List.of("hybrid", "dense", "keyword");
    public static final List<String> RETRIEVAL = List.of("recall@1", "recall@3", "recall@5", "recall@10", "mrr@10",
            "ndcg@10");
    private static final List<String> ANSWERS = List.of("citation_precision", "citation_recall", "groundedness",
            "exact_match", "token_f1", "refusal_rate", "false_refusal_rate", "context_precision",
            "context_recall");
    /** Per answerable turn kind ({@code first}, {@code followup}) of the conversations. */
    public static final List<String> CONVERSATION_TURN = List.of("recall@1", "recall@5", "mrr@10", "citation_recall",
            "false_refusal_rate");
    private static final List<String> LOWER_IS_BETTER = List.of("answers.false_refusal_rate", "cache.false_hit_rate",
            "latency.", "cost.", "conversations.first.false_refusal_rate", "conversations.followup.false_refusal_rate");

    private SuiteMetrics() {
    }

    /** Every metric name a suite may name in thresholds or max_regression. */
    public static Set<String> known() {
        Set<String> names = new TreeSet<>();
        for (String mode : MODES) {
            RETRIEVAL.forEach(m -> names.add("retrieval." + mode + "." + m));
        }
        ANSWERS.forEach(m -> names.add("answers." + m));
        names.add("cache.hit_rate");
        names.add("cache.false_hit_rate");
        for (String kind : List.of("ttft", "total")) {
            for (String p : List.of("p50_ms", "p95_ms", "p99_ms", "mean_ms")) {
                names.add("latency." + kind + "." + p);
            }
        }
        names.add("cost.total_usd");
        names.add("cost.mean_usd_per_question");
        for (String kind : List.of("first", "followup")) {
            CONVERSATION_TURN.forEach(m -> names.add("conversations." + kind + "." + m));
        }
        names.add("conversations.unanswerable.refusal_rate");
        return names;
    }

    public static boolean higherIsBetter(String metric) {
        return LOWER_IS_BETTER.stream().noneMatch(metric::startsWith);
    }

    /** The result's figures by name; metrics a run did not measure (or could not: NaN) are absent. */
    public static Map<String, Double> flatten(SuiteResult r) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (r.retrieval() != null) {
            r.retrieval().forEach((mode, metrics) -> metrics.forEach((m, v) -> put(out, "retrieval." + mode + "."
                    + m, v)));
        }
        if (r.answers() != null) {
            var a = r.answers();
            put(out, "answers.citation_precision", a.citationPrecision());
            put(out, "answers.citation_recall", a.citationRecall());
            put(out, "answers.groundedness", a.groundedness());
            put(out, "answers.exact_match", a.exactMatch());
            put(out, "answers.token_f1", a.tokenF1());
            put(out, "answers.refusal_rate", a.refusalRate());
            put(out, "answers.false_refusal_rate", a.falseRefusalRate());
            put(out, "answers.context_precision", a.contextPrecision());
            put(out, "answers.context_recall", a.contextRecall());
        }
        if (r.cache() != null) {
            put(out, "cache.hit_rate", r.cache().hitRate());
            put(out, "cache.false_hit_rate", r.cache().falseHitRate());
        }
        if (r.latency() != null) {
            latency(out, "latency.ttft.", r.latency().ttft());
            latency(out, "latency.total.", r.latency().total());
        }
        if (r.cost() != null) {
            put(out, "cost.total_usd", r.cost().totalUsd());
            put(out, "cost.mean_usd_per_question", r.cost().meanUsdPerQuestion());
        }
        if (r.conversations() != null && r.conversations().byKind() != null) {
            r.conversations().byKind().forEach((kind, metrics) -> metrics.forEach((m, v) -> put(out,
                    "conversations." + kind + "." + m, v)));
        }
        return out;
    }

    private static void latency(Map<String, Double> out, String prefix, SuiteResult.Latency l) {
        if (l != null) {
            put(out, prefix + "p50_ms", l.p50Ms());
            put(out, prefix + "p95_ms", l.p95Ms());
            put(out, prefix + "p99_ms", l.p99Ms());
            put(out, prefix + "mean_ms", l.meanMs());
        }
    }

    private static void put(Map<String, Double> out, String name, Double value) {
        if (value != null && !value.isNaN()) {
            out.put(name, value);
        }
    }
}
