package dev.sextant.rag.conversation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A rule, no model: a message that reads as a follow-up ({@link FollowUpSignals}) gets the earlier user questions it
 * continues put in front of it, so the query names the subject the follow-up only points at ("Can I run that inside
 * a transaction block?" after "How do I build an index ... without blocking inserts?"). Going back, each earlier
 * question is taken until one that stands alone (the question the thread started from), at most
 * {@link Options#maxTurns()} of them; a message that stands alone is searched as asked.
 *
 * <p>Why user turns and not the answers: the answers are the model's, and a wrong one would steer retrieval to
 * wherever it went wrong; {@link Options#withAnswer()} adds the last answer for measurement.
 */
public final class PreviousTurnFold implements QueryRewriter {

    /** Characters of an answer folded in at most (its start says what it is about). */
    static final int ANSWER_CHARS = 300;

    /**
     * @param maxTurns  earlier user questions folded in at most
     * @param untilStandalone stop going back at the first earlier question that stands alone; false: take
     *                  {@code maxTurns} regardless
     * @param always    fold every message that has an earlier question, follow-up or not
     * @param withAnswer also fold in the start of the last assistant answer
     */
    public record Options(int maxTurns, boolean untilStandalone, boolean always, boolean withAnswer) {

        public static final Options DEFAULTS = new Options(3, true, false, false);

        public Options {
            if (maxTurns < 1) {
                throw new IllegalArgumentException("maxTurns must be positive, got " + maxTurns);
            }
        }
    }

    private final Options options;

    public PreviousTurnFold() {
        this(Options.DEFAULTS);
    }

    public PreviousTurnFold(Options options) {
        this.options = options;
    }

    @Override
    public RewriteResult rewrite(RewriteRequest request) {
        String message = request.message().strip();
        if (!request.hasEarlierQuestion() || !options.always() && !FollowUpSignals.of(message).followUp()) {
            return new RewriteResult(message, RewriteResult.Method.AS_ASKED);
        }
        return new RewriteResult(fold(request.history(), message), RewriteResult.Method.FOLDED);
    }

    private String fold(List<ConversationTurn> history, String message) {
        Deque<String> parts = new ArrayDeque<>();
        parts.addFirst(message);
        if (options.withAnswer()) {
            for (int i = history.size() - 1; i >= 0; i--) {
                ConversationTurn turn = history.get(i);
                if (turn.isUser()) {
                    break;
                }
                if (turn.role().equals(ConversationTurn.ASSISTANT) && !turn.content().isBlank()) {
                    parts.addFirst(PromptText.clip(turn.content().strip(), ANSWER_CHARS, ""));
                    break;
                }
            }
        }
        int taken = 0;
        for (int i = history.size() - 1; i >= 0 && taken < options.maxTurns(); i--) {
            ConversationTurn turn = history.get(i);
            if (!turn.isUser() || turn.content().isBlank()) {
                continue;
            }
            String question = turn.content().strip();
            parts.addFirst(question);
            taken++;
            if (options.untilStandalone() && !FollowUpSignals.of(question).followUp()) {
                break;
            }
        }
        return String.join("\n", parts);
    }

    @Override
    public Optional<ChatModel.Request> modelCall(RewriteRequest request) {
        return Optional.empty();
    }
}
