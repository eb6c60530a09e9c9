package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.RankFusion;
import java.util.List;

/** Reciprocal rank fusion of chunks: each chunk stands alone, as the stores' own hybrid search does. */
public final class ChunkFusion implements Fusion {

    @Override
    public FusionResult fuse(FusionRequest request) {
        return new FusionResult(RankFusion.fuse(List.of(request.dense(), request.keyword()), RankFusion.DEFAULT_K,
                request.topK()));
    }
}
