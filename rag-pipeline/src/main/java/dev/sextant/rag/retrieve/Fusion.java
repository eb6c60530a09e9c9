package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.List;

/** Merges the dense and the keyword ranking of one query into the hybrid ranking. */
public interface Fusion {

    FusionResult fuse(FusionRequest request);

    /** Both rankings best first; {@code topK} chunks at most are wanted back. */
    record FusionRequest(List<ScoredChunk> dense, List<ScoredChunk> keyword, int topK) {
        public FusionRequest {
            dense = List.copyOf(dense);
            keyword = List.copyOf(keyword);
            if (topK < 1) {
                throw new IllegalArgumentException("topK must be positive, got " + topK);
            }
        }
    }

    /** Best first; a chunk's score is on the fusion's own scale. */
    record FusionResult(List<ScoredChunk> ranked) {
        public FusionResult {
            ranked = List.copyOf(ranked);
        }
    }
}
