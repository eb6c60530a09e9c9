package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs retrieved chunks into a numbered context block ({@code [1] ...}) under a character budget, so the answer
 * can cite them by number. Chunks are taken best first; one that does not fit is skipped, not truncated.
 */
public final class ContextBuilder {

    private final int maxChars;

    public ContextBuilder(int maxChars) {
        this.maxChars = maxChars;
    }

    public record Context(String text, List<ScoredChunk> used) {
        public boolean isEmpty() {
            return used.isEmpty();
        }
    }

    public Context build(List<ScoredChunk> matches) {
        StringBuilder sb = new StringBuilder();
        List<ScoredChunk> used = new ArrayList<>();
        for (ScoredChunk match : matches) {
            String entry = "[" + (used.size() + 1) + "] (" + match.chunk().source() + ") " + match.chunk().text()
                    + "\n\n";
            if (sb.length() + entry.length() > maxChars) {
                continue;
            }
            sb.append(entry);
            used.add(match);
        }
        return new Context(sb.toString().strip(), used);
    }
}
