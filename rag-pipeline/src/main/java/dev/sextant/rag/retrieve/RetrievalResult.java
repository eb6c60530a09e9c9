package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.List;
import java.util.Objects;

/** Matches best first, how many tokens embedding the query took, and what the candidates say about answerability. */
public record RetrievalResult(List<ScoredChunk> matches, long queryTokens, Evidence evidence) {
    public RetrievalResult {
        matches = List.copyOf(matches);
        Objects.requireNonNull(evidence, "evidence");
    }
}
