package dev.sextant.eval.conversation;

import dev.sextant.eval.metrics.RetrievalMetrics;
import dev.sextant.rag.conversation.QueryRewriter;
import dev.sextant.rag.conversation.RewriteRequest;
import dev.sextant.rag.conversation.RewriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Retrieval quality of follow-up questions: every turn of every conversation is rewritten by each
 * {@link QueryRewriter} from the conversation so far (earlier questions with their reference answers as the
 * assistant's turns), the query is searched, and the ranking of distinct sources is scored against the turn's gold
 * pages, separately for first turns and follow-ups, with the time each rewrite took.
 */
public final class ConversationEvaluation {

    /** Searches one query: distinct sources, best first (at least the top {@link #DEPTH}). */
    @FunctionalInterface
    public interface Search {
        List<String> sources(String query);
    }

    /** Ranks scored: recall@1, recall@5, reciprocal rank within the top 10. */
    public static final int DEPTH = 10;

    private final Search search;

    public ConversationEvaluation(Search search) {
        this.search = Objects.requireNonNull(search, "search");
    }

    /**
     * @param rewriters by the name the report gives them, in report order
     */
    public ConversationReport evaluate(List<LabelledConversation> conversations,
                                       Map<String, QueryRewriter> rewriters, ProgressListener progress) {
        if (conversations.isEmpty() || rewriters.isEmpty()) {
            throw new IllegalArgumentException("need at least one conversation and one rewriter");
        }
        Instant started = Instant.now();
        // One untimed search first: class loading and the first ONNX call are not what is measured.
        search.sources(conversations.get(0).turns().get(0).question());
        Map<String, List<ConversationReport.TurnOutcome>> byMethod = new LinkedHashMap<>();
        for (var entry : rewriters.entrySet()) {
            List<ConversationReport.TurnOutcome> outcomes = new ArrayList<>();
            int done = 0;
            for (LabelledConversation c : conversations) {
                for (int i = 0; i < c.turns().size(); i++) {
                    outcomes.add(turn(c, i, entry.getValue()));
                }
                progress.conversationDone(entry.getKey(), ++done, conversations.size());
            }
            byMethod.put(entry.getKey(), outcomes);
        }
        return ConversationReport.of(started, conversations.size(), byMethod);
    }

    /** Says how far an evaluation is; called after each conversation. */
    @FunctionalInterface
    public interface ProgressListener {
        void conversationDone(String method, int done, int total);

        ProgressListener NONE = (method, done, total) -> {
        };
    }

    private ConversationReport.TurnOutcome turn(LabelledConversation c, int index, QueryRewriter rewriter) {
        LabelledConversation.Turn turn = c.turns().get(index);
        RewriteRequest request = new RewriteRequest(c.messagesUpTo(index));
        long start = System.nanoTime();
        RewriteResult rewrite = rewriter.rewrite(request);
        long nanos = System.nanoTime() - start;
        List<String> ranked = search.sources(rewrite.query());
        ranked = ranked.subList(0, Math.min(DEPTH, ranked.size()));
        boolean scored = !turn.gold().isEmpty();
        return new ConversationReport.TurnOutcome(c.id(), index + 1, turn.kind().label(), turn.question(),
                rewrite.query(), rewrite.method().label(), rewrite.fallback(), List.copyOf(turn.gold()), ranked,
                scored ? RetrievalMetrics.recallAtK(ranked, turn.gold(), 1) : Double.NaN,
                scored ? RetrievalMetrics.recallAtK(ranked, turn.gold(), 5) : Double.NaN,
                scored ? RetrievalMetrics.reciprocalRankAtK(ranked, turn.gold(), DEPTH) : Double.NaN,
                nanos / 1e6);
    }
}
