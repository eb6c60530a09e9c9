package dev.sextant.rag.retrieve;

import dev.sextant.rag.chunk.TokenCounter;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs retrieved chunks into a numbered context block ({@code [1] ...}) under a token budget, so the answer
 * can cite them by number. Chunks are taken best first; one that does not fit is skipped, not truncated.
 */
public final class ContextBuilder {

    private final int maxTokens;
    private final TokenCounter counter;

    public ContextBuilder(int maxTokens, TokenCounter counter) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
        }
        this.maxTokens = maxTokens;
        this.counter = counter;
    }

    public record Context(String text, List<ScoredChunk> used) {
        public boolean isEmpty() {
            return used.isEmpty();
        }
    }

    /** Tokens of a text in the unit the context budget is counted in (the embedder's tokenizer). */
    public int tokens(String text) {
        return counter.count(text);
    }

    public Context build(List<ScoredChunk> matches) {
        StringBuilder sb = new StringBuilder();
        List<ScoredChunk> used = new ArrayList<>();
        int tokens = 0;
        for (ScoredChunk match : matches) {
            String entry = "[" + (used.size() + 1) + "] (" + match.chunk().source() + ") " + match.chunk().text()
                    + "\n\n";
            int entryTokens = counter.count(entry);
            if (tokens + entryTokens > maxTokens) {
                continue;
            }
            tokens += entryTokens;
            sb.append(entry);
            used.add(match);
        }
        return new Context(sb.toString().strip(), used);
    }
}
