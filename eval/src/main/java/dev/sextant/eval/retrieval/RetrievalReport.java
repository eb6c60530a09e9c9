package dev.sextant.eval.retrieval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.rag.retrieve.Evidence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Figures of one {@link RetrievalEvaluation} run: mean metrics per retrieval mode over the answerable questions,
 * and each question's ranking of distinct sources per mode.
 *
 * @param ingest the ingest run the figures belong to, or {@code null} if not recorded
 */
public record RetrievalReport(Instant date, String model, String store, RetrievalEvaluation.IngestRun ingest,
                              int topK, List<ModeSummary> modes, List<QuestionOutcome> outcomes) {

    public RetrievalReport {
        modes = List.copyOf(modes);
        outcomes = List.copyOf(outcomes);
    }

    /**
     * Means over the answerable questions; the query times (embedding, search, fusion, reranking) over all
     * questions, one at a time.
     */
    public record ModeSummary(RetrievalMethod mode, double recallAt1, double recallAt5, double recallAt10, double mrrAt10,
                              double ndcgAt10, double meanQueryMillis, double p50QueryMillis, double p95QueryMillis) {
    }

    /**
     * @param sources   distinct sources of the top chunks, best first
     * @param firstGold 1-based position of the first gold source in {@code sources}, 0 if none (or no gold)
     * @param topScore  score of the best chunk (cosine for dense, BM25 for keyword, RRF for hybrid); NaN if none
     * @param evidence  what the retrieval's candidates said about answerability ({@link Evidence#NONE} if unknown)
     */
    public record Ranking(List<String> sources, int firstGold, double topScore, Evidence evidence) {
        public Ranking {
            sources = List.copyOf(sources);
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    public record QuestionOutcome(LabelledQuestion question, Map<RetrievalMethod, Ranking> rankings) {
        public QuestionOutcome {
            rankings = Map.copyOf(rankings);
        }
    }

    public ModeSummary mode(RetrievalMethod mode) {
        return modes.stream().filter(m -> m.mode() == mode).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("mode " + mode + " was not evaluated"));
    }

    public long answerable() {
        return outcomes.stream().filter(o -> o.question().answerable()).count();
    }

    /** Mode x metric, one Markdown table. */
    public String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| mode | recall@1 | recall@5 | recall@10 | MRR@10 | nDCG@10 | ms/query | p50 ms | p95 ms |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ModeSummary m : modes) {
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f | %.1f | %.1f |%n",
                    m.mode().label(), m.recallAt1(), m.recallAt5(), m.recallAt10(),
                    m.mrrAt10(), m.ndcgAt10(), m.meanQueryMillis(), m.p50QueryMillis(), m.p95QueryMillis()));
        }
        return sb.toString();
    }

    /**
     * Sources that are not gold but appear in the first {@code depth} distinct results of answerable questions,
     * with the number of questions they appear for, most frequent first: pages that attract retrieval.
     */
    public Map<String, Integer> frequentNonGold(RetrievalMethod mode, int depth, int limit) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (QuestionOutcome o : outcomes) {
            if (!o.question().answerable()) {
                continue;
            }
            o.rankings().get(mode).sources().stream().limit(depth).filter(s -> !o.question().gold().contains(s))
                    .forEach(s -> counts.merge(s, 1, Integer::sum));
        }
        Map<String, Integer> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    /** Mean score of the best chunk over answerable or unanswerable questions. */
    public OptionalDouble meanTopScore(RetrievalMethod mode, boolean answerable) {
        return outcomes.stream().filter(o -> o.question().answerable() == answerable)
                .mapToDouble(o -> o.rankings().get(mode).topScore()).filter(Double::isFinite).average();
    }

    public ObjectNode toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("date", date.toString());
        root.put("model", model);
        root.put("store", store);
        root.put("top_k", topK);
        root.put("cores", Runtime.getRuntime().availableProcessors());
        if (ingest != null) {
            root.put("corpus", ingest.corpus().toString());
            root.put("chunk_tokens", ingest.limits().maxTokens());
            root.put("overlap_tokens", ingest.limits().overlapTokens());
            root.put("model_tokens", ingest.limits().modelTokens());
            root.put("heading_prefix", ingest.limits().headingPrefix().configValue());
            ObjectNode i = root.putObject("ingest");
            i.put("documents_ingested", ingest.report().ingested());
            i.put("documents_unchanged", ingest.report().unchanged());
            i.put("documents_failed", ingest.report().failures().size());
            i.put("chunks_written", ingest.report().chunksWritten());
            i.put("seconds", round(ingest.seconds(), 1));
            if (ingest.inputs() != null) {
                ObjectNode e = root.putObject("embedding_inputs");
                e.put("chunks", ingest.inputs().chunks());
                e.put("mean_text_tokens", round(ingest.inputs().meanTextTokens(), 2));
                e.put("mean_input_tokens", round(ingest.inputs().meanInputTokens(), 2));
                e.put("longest_input_tokens", ingest.inputs().longestInput());
                e.put("truncated", ingest.inputs().truncated());
            }
        }
        ObjectNode questions = root.putObject("questions");
        questions.put("answerable", answerable());
        questions.put("unanswerable", outcomes.size() - answerable());
        ObjectNode metrics = root.putObject("metrics");
        for (ModeSummary m : modes) {
            ObjectNode node = metrics.putObject(name(m.mode()));
            node.put("recall@1", round(m.recallAt1(), 4));
            node.put("recall@5", round(m.recallAt5(), 4));
            node.put("recall@10", round(m.recallAt10(), 4));
            node.put("mrr@10", round(m.mrrAt10(), 4));
            node.put("ndcg@10", round(m.ndcgAt10(), 4));
            node.put("mean_query_ms", round(m.meanQueryMillis(), 2));
            node.put("p50_query_ms", round(m.p50QueryMillis(), 2));
            node.put("p95_query_ms", round(m.p95QueryMillis(), 2));
            ObjectNode top = node.putObject("mean_top_score");
            meanTopScore(m.mode(), true).ifPresent(v -> top.put("answerable", round(v, 4)));
            meanTopScore(m.mode(), false).ifPresent(v -> top.put("unanswerable", round(v, 4)));
            ArrayNode attract = node.putArray("frequent_non_gold_top5");
            frequentNonGold(m.mode(), 5, 10).forEach((source, count) ->
                    attract.addObject().put("source", source).put("questions", count));
        }
        ArrayNode perQuestion = root.putArray("per_question");
        for (QuestionOutcome o : outcomes) {
            ObjectNode q = perQuestion.addObject();
            q.put("id", o.question().id());
            q.put("kind", o.question().kind());
            ArrayNode gold = q.putArray("gold");
            o.question().gold().stream().sorted().forEach(gold::add);
            for (ModeSummary m : modes) {
                Ranking r = o.rankings().get(m.mode());
                ObjectNode node = q.putObject(name(m.mode()));
                node.put("first_gold_rank", r.firstGold());
                if (Double.isFinite(r.topScore())) {
                    node.put("top_score", round(r.topScore(), 4));
                }
                if (Double.isFinite(r.evidence().bestDense())) {
                    node.put("best_dense", round(r.evidence().bestDense(), 4));
                }
                ArrayNode unmatched = node.putArray("unmatched_terms");
                r.evidence().unmatchedTerms().forEach(unmatched::add);
                ArrayNode unknown = node.putArray("unknown_terms");
                r.evidence().unknownTerms().forEach(unknown::add);
                ArrayNode sources = node.putArray("sources");
                r.sources().forEach(sources::add);
            }
        }
        return root;
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson())
                + "\n");
    }

    /** Questions (answerable) whose first gold source is missing from the top results in {@code mode}. */
    public List<String> missed(RetrievalMethod mode) {
        return outcomes.stream().filter(o -> o.question().answerable())
                .filter(o -> o.rankings().get(mode).firstGold() == 0).map(o -> o.question().id())
                .sorted(Comparator.naturalOrder()).toList();
    }

    private static String name(RetrievalMethod mode) {
        return Objects.requireNonNull(mode).label();
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
