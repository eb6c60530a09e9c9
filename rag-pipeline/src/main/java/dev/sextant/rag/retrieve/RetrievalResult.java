package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.List;

/** Matches best first, and how many tokens embedding the query took. */
public record RetrievalResult(List<ScoredChunk> matches, long queryTokens) {
    public RetrievalResult {
        matches = List.copyOf(matches);
    }
}
