package dev.sextant.eval.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sextant.eval.load.Percentiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link ConversationEvaluation} measured: per rewriting method, recall@1/@5 and MRR@10 of first turns and
 * of follow-ups, how many later turns were rewritten or fell back, and the rewrite time of the later turns (the
 * first turn is never rewritten); every turn's query and ranking in the JSON.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConversationReport(String started, int conversations, List<MethodSummary> methods,
                                 Map<String, List<TurnOutcome>> turns) {

    /**
     * @param how      {@code as_asked}, {@code folded} or {@code condensed}
     * @param fallback why a model's rewrite was not used; null when nothing fell back
     * @param recallAt1 NaN (the string "NaN" in JSON) for an unanswerable turn, likewise the other scores
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TurnOutcome(String conversation, int turn, String kind, String question, String query, String how,
                              String fallback, List<String> gold, List<String> ranked, double recallAt1,
                              double recallAt5, double reciprocalRank, double rewriteMs) {
    }

    /** Means over the answerable turns of one kind. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record KindSummary(int turns, double recallAt1, double recallAt5, double mrr) {
    }

    /**
     * @param laterTurns   turns after the first (follow-ups and unanswerable ones)
     * @param rewritten    of those, the ones searched with something else than the message as asked
     * @param fallbacks    of those, the ones where a model's rewrite was not used
     * @param rewriteP50Ms nearest-rank percentiles of the rewrite time of the later turns
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MethodSummary(String method, KindSummary first, KindSummary followup, int laterTurns,
                                int rewritten, int fallbacks, double rewriteP50Ms, double rewriteP95Ms) {
    }

    static ConversationReport of(Instant started, int conversations, Map<String, List<TurnOutcome>> turns) {
        List<MethodSummary> methods = new ArrayList<>();
        turns.forEach((method, outcomes) -> {
            List<TurnOutcome> later = outcomes.stream().filter(t -> t.turn() > 1).toList();
            long[] nanos = later.stream().mapToLong(t -> Math.round(t.rewriteMs() * 1e6)).sorted().toArray();
            methods.add(new MethodSummary(method, kind(outcomes, "first"), kind(outcomes, "followup"), later.size(),
                    (int) later.stream().filter(t -> !t.how().equals("as_asked")).count(),
                    (int) later.stream().filter(t -> t.fallback() != null).count(),
                    nanos.length == 0 ? Double.NaN : Percentiles.nearestRank(nanos, 50) / 1e6,
                    nanos.length == 0 ? Double.NaN : Percentiles.nearestRank(nanos, 95) / 1e6));
        });
        return new ConversationReport(started.toString(), conversations, methods, turns);
    }

    private static KindSummary kind(List<TurnOutcome> outcomes, String kind) {
        List<TurnOutcome> of = outcomes.stream().filter(t -> t.kind().equals(kind)).toList();
        if (of.isEmpty()) {
            return new KindSummary(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new KindSummary(of.size(), of.stream().mapToDouble(TurnOutcome::recallAt1).average().orElseThrow(),
                of.stream().mapToDouble(TurnOutcome::recallAt5).average().orElseThrow(),
                of.stream().mapToDouble(TurnOutcome::reciprocalRank).average().orElseThrow());
    }

    public MethodSummary method(String name) {
        return methods.stream().filter(m -> m.method().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method " + name));
    }

    /** One row per method: first-turn and follow-up recall, rewrites, fallbacks and rewrite time. */
    public String markdownTable() {
        StringBuilder sb = new StringBuilder("| method | first R@1 | first R@5 | first MRR | follow-up R@1 "
                + "| follow-up R@5 | follow-up MRR | rewritten | fallbacks | rewrite p50 ms | rewrite p95 ms |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (MethodSummary m : methods) {
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %d/%d | %d | "
                    + "%.2f | %.2f |%n", m.method(), m.first().recallAt1(), m.first().recallAt5(), m.first().mrr(),
                    m.followup().recallAt1(), m.followup().recallAt5(), m.followup().mrr(), m.rewritten(),
                    m.laterTurns(), m.fallbacks(), m.rewriteP50Ms(), m.rewriteP95Ms()));
        }
        return sb.toString();
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, json.writeValueAsString(this) + "\n");
    }
}
