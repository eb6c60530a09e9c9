package dev.sextant.rag.rerank;

import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.conversation.ChatModel;
import dev.sextant.rag.conversation.ConversationTurn;
import dev.sextant.rag.conversation.PromptText;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The chat model as a relevance judge: each of the first {@link #depth()} candidates is shown to the model with the
 * question, and it answers yes or no; candidates judged relevant move ahead of the rest, each group keeping the
 * fused order (so a model that says yes, or no, to everything changes nothing). One greedy call of a few tokens per
 * candidate: its latency is {@code depth} prefills of a passage, which is what makes it a measurement rather than a
 * default on a CPU. A failed call leaves that candidate unjudged (as a no).
 */
public final class ChatModelReranker implements Reranker {

    /** Characters of a passage shown to the model at most (its start says what it is about). */
    static final int PASSAGE_CHARS = 700;
    static final String INSTRUCTION = "You decide whether a documentation passage answers a question. "
            + "Reply with one word: yes or no.";

    private final ChatModel model;
    private final int depth;

    /** @param depth candidates judged, from the top */
    public ChatModelReranker(ChatModel model, int depth) {
        this.model = Objects.requireNonNull(model, "model");
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be positive, got " + depth);
        }
        this.depth = depth;
    }

    public int depth() {
        return depth;
    }

    @Override
    public RerankResult rerank(RerankRequest request) {
        List<ScoredChunk> candidates = request.candidates();
        List<ScoredChunk> relevant = new ArrayList<>();
        List<ScoredChunk> rest = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            ScoredChunk c = candidates.get(i);
            if (i < depth && judgedRelevant(request.query(), c.chunk())) {
                relevant.add(new ScoredChunk(c.chunk(), 1.0 + c.score()));
            } else {
                rest.add(c);
            }
        }
        relevant.addAll(rest);
        return new RerankResult(relevant);
    }

    private boolean judgedRelevant(String question, Chunk chunk) {
        try {
            ChatModel.Reply reply = model.complete(new ChatModel.Request(prompt(question, chunk), 3, List.of("\n")));
            return saysYes(reply.text());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static List<ConversationTurn> prompt(String question, Chunk chunk) {
        String text = PromptText.clip(PromptText.oneLine(chunk.text()), PASSAGE_CHARS, " ...");
        String title = chunk.title() == null || chunk.title().isBlank() ? "" : chunk.title().strip() + "\n";
        return List.of(new ConversationTurn(ConversationTurn.SYSTEM, INSTRUCTION),
                ConversationTurn.user("Question: " + question.strip() + "\n\nPassage:\n" + title + text
                        + "\n\nDoes the passage answer the question? Reply yes or no."));
    }

    /** Whether the reply's first word is yes (case, punctuation and a leading quote aside). */
    static boolean saysYes(String reply) {
        String s = reply.strip().toLowerCase(Locale.ROOT).replaceFirst("^[\"'*]+", "");
        return s.startsWith("yes") && (s.length() == 3 || !Character.isLetter(s.charAt(3)));
    }
}
