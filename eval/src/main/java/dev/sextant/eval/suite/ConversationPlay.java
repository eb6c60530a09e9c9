package dev.sextant.eval.suite;

import dev.sextant.eval.answers.CitationMetrics;
import dev.sextant.eval.answers.RefusalDetector;
import dev.sextant.eval.conversation.LabelledConversation;
import dev.sextant.eval.metrics.RetrievalMetrics;
import dev.sextant.rag.conversation.ConversationTurn;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plays labelled conversations against the target turn by turn: each turn is sent with the earlier questions and
 * their reference answers as the history (so no score depends on the model's own answers), to /v1/retrieve (the
 * server rewrites the conversation into its query) and, with answers on, to /v1/chat/completions (what the answer
 * cites, and whether it declines: the server's {@code "answerable": false} or a refusal in the text). Scores are
 * kept apart per turn kind.
 */
final class ConversationPlay {

    private final TargetClient target;
    private final PrintWriter progress;

    ConversationPlay(TargetClient target, PrintWriter progress) {
        this.target = target;
        this.progress = progress;
    }

    /**
     * @param maxTokens per answer; 0 to play retrieval only
     */
    SuiteResult.ConversationSummary play(Path file, String mode, int topK, int maxTokens) {
        List<LabelledConversation> conversations;
        try {
            conversations = LabelledConversation.readAll(file);
        } catch (IllegalArgumentException | IOException e) {
            throw new SuiteException(file + ": " + e.getMessage(), e);
        }
        List<SuiteResult.TurnResult> turns = new ArrayList<>();
        if (maxTokens > 0) {
            target.flushCache();
        }
        for (int c = 0; c < conversations.size(); c++) {
            LabelledConversation conversation = conversations.get(c);
            for (int i = 0; i < conversation.turns().size(); i++) {
                turns.add(turn(conversation, i, mode, topK, maxTokens));
            }
            if (c + 1 == conversations.size() || (c + 1) % 10 == 0) {
                progress.printf("eval: conversations %d/%d%n", c + 1, conversations.size());
                progress.flush();
            }
        }
        return new SuiteResult.ConversationSummary(conversations.size(), mode, summary(turns, maxTokens > 0),
                turns);
    }

    private SuiteResult.TurnResult turn(LabelledConversation conversation, int index, String mode, int topK,
                                        int maxTokens) {
        LabelledConversation.Turn turn = conversation.turns().get(index);
        List<TargetClient.Message> messages = conversation.messagesUpTo(index).stream()
                .map(ConversationPlay::message).toList();
        TargetClient.ConversationRetrieval retrieved = target.retrieve(messages, mode, topK);
        Set<String> ranked = new LinkedHashSet<>();
        retrieved.results().forEach(r -> ranked.add(r.source()));
        List<String> cited = null;
        Boolean answerable = null;
        boolean refused = false;
        String text = null;
        if (maxTokens > 0) {
            TargetClient.Answer answer = target.chat(messages, maxTokens);
            cited = answer.citations().stream().filter(TargetClient.Cited::cited).map(TargetClient.Cited::source)
                    .distinct().toList();
            answerable = answer.answerable();
            text = answer.text();
            refused = Boolean.FALSE.equals(answerable) || RefusalDetector.isRefusal(text);
        }
        return new SuiteResult.TurnResult(conversation.id(), index + 1, turn.kind().label(), turn.question(),
                retrieved.query(), retrieved.rewrite(), List.copyOf(turn.gold()), List.copyOf(ranked), cited,
                answerable, refused, text);
    }

    private static TargetClient.Message message(ConversationTurn turn) {
        return new TargetClient.Message(turn.role(), turn.content());
    }

    /** Means per kind: retrieval and citations over answerable turns, refusals over unanswerable ones. */
    static Map<String, Map<String, Double>> summary(List<SuiteResult.TurnResult> turns, boolean answered) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (String kind : List.of("first", "followup")) {
            List<SuiteResult.TurnResult> of = turns.stream().filter(t -> t.kind().equals(kind)).toList();
            if (of.isEmpty()) {
                continue;
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("recall@1", mean(of, t -> RetrievalMetrics.recallAtK(t.retrieved(), Set.copyOf(t.gold()), 1)));
            m.put("recall@5", mean(of, t -> RetrievalMetrics.recallAtK(t.retrieved(), Set.copyOf(t.gold()), 5)));
            m.put("mrr@10", mean(of, t -> RetrievalMetrics.reciprocalRankAtK(t.retrieved(), Set.copyOf(t.gold()),
                    10)));
            if (answered) {
                m.put("citation_recall", mean(of, t -> CitationMetrics.citationRecall(t.cited(),
                        Set.copyOf(t.gold()))));
                m.put("false_refusal_rate", mean(of, t -> t.refused() ? 1.0 : 0.0));
            }
            out.put(kind, m);
        }
        List<SuiteResult.TurnResult> unanswerable = turns.stream().filter(t -> t.kind().equals("unanswerable"))
                .toList();
        if (answered && !unanswerable.isEmpty()) {
            out.put("unanswerable", Map.of("refusal_rate", mean(unanswerable, t -> t.refused() ? 1.0 : 0.0)));
        }
        return out;
    }

    private static double mean(List<SuiteResult.TurnResult> turns,
                               java.util.function.ToDoubleFunction<SuiteResult.TurnResult> f) {
        return turns.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
