package dev.sextant.eval.suite;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sextant.eval.load.StepResult;
import java.util.List;
import java.util.Map;

/**
 * Everything one run of a suite measured. Sections a suite did not ask for are null. {@link #metrics()} flattens
 * the figures into named numbers (what thresholds and baselines refer to).
 *
 * @param suite       the suite's name
 * @param date        ISO date-time of the run
 * @param target      what was evaluated (a URL, or "embedded")
 * @param retrieval   per retriever mode ({@code hybrid}, {@code dense}, {@code keyword}): metric name to value
 * @param questions   one row per question, in suite order
 * @param regressions metrics past their threshold or worse than the baseline by more than allowed; empty: passed
 * @param conversations the multi-turn part, when the suite has conversations
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SuiteResult(String suite, String date, String target, Map<String, Map<String, Double>> retrieval,
                          AnswerSummary answers, CacheSummary cache, LatencySummary latency, CostSummary cost,
                          List<QuestionResult> questions, List<Regression> regressions,
                          ConversationSummary conversations) {

    /**
     * @param citationPrecision share of cited sources (a {@code [n]} marker in the answer) that are gold, over
     *                          answerable questions that cite something
     * @param citationRecall    share of gold sources cited, over answerable questions
     * @param contextPrecision  share of the sources of the passages given to the model (cited or not) that are
     *                          gold, over answerable questions with context; null in results older than it
     * @param contextRecall     share of gold sources among the passages given to the model (cited or not), over
     *                          answerable questions; null in results older than it
     * @param groundedness      mean share of answer sentences supported by the cited chunks
     * @param exactMatch        over questions with a reference answer; null when none has one
     * @param tokenF1           idem
     * @param refusalRate       share of unanswerable questions the answer declines; null when there are none
     * @param falseRefusalRate  share of answerable questions the answer declines
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AnswerSummary(int answerable, int unanswerable, double citationPrecision, double citationRecall,
                                double groundedness, Double exactMatch, Double tokenF1, Double refusalRate,
                                double falseRefusalRate, Double contextPrecision,
                                Double contextRecall) {
    }

    /**
     * Hit rate over paraphrase pairs, false-hit rate over pairs that are not paraphrases; neither counts the
     * {@code refused} pairs, whose first answer the answerability gate kept out of the cache.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CacheSummary(int paraphrases, int nonParaphrases, double hitRate, double falseHitRate,
                               int refused, List<PairResult> pairs) {
    }

    /** @param refused the first question was refused (or flagged not covered), so nothing was cached */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PairResult(String first, String second, boolean paraphrase, boolean hit, boolean refused) {
    }

    /**
     * @param ttft  time to first token of the answer requests (streamed, one at a time)
     * @param total their total time
     * @param load  the load profile's steps, when the suite has one
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LatencySummary(Latency ttft, Latency total, List<StepResult> load) {
    }

    /** Nearest-rank percentiles in milliseconds ({@link dev.sextant.eval.load.Percentiles}); NaN when empty. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Latency(long count, double p50Ms, double p95Ms, double p99Ms, double meanMs, double maxMs) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CostSummary(double totalUsd, double meanUsdPerQuestion, long promptTokens, long completionTokens) {
    }

    /**
     * @param retrieved distinct sources in the order retrieval ranked them (hybrid, or the first mode run)
     * @param cited     sources the answer cited
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record QuestionResult(String id, String question, boolean answerable, List<String> gold,
                                 List<String> retrieved, double reciprocalRank, String answer, String reference,
                                 List<String> cited, List<String> context, boolean refused, double groundedness, Double tokenF1,
                                 double ttftMs, double totalMs, double costUsd) {
    }

    /**
     * The conversations played turn by turn, with the reference answers as the assistant's turns.
     *
     * @param mode   the retrieval mode /v1/retrieve was asked for
     * @param byKind turn kind ({@code first}, {@code followup}, {@code unanswerable}) to metric name to value
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ConversationSummary(int conversations, String mode, Map<String, Map<String, Double>> byKind,
                                      List<TurnResult> turns) {
    }

    /**
     * One turn: what the server searched for it (the rewritten {@code query}, how it was made) and found, what the
     * answer cited, and whether it was declined.
     *
     * @param answerable the server's answerability decision; null where none was sent or answers are off
     * @param cited      null when answers are off
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TurnResult(String conversation, int turn, String kind, String question, String query,
                             String rewrite, List<String> gold, List<String> retrieved, List<String> cited,
                             Boolean answerable, boolean refused, String answer) {
    }

    /**
     * @param rule {@code min}/{@code max} (an absolute threshold) or {@code baseline} (worse than the baseline by more
     *             than {@code allowed})
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Regression(String metric, String rule, double value, double limit, String message) {
    }
}
