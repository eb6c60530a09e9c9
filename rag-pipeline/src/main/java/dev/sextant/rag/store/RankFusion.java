package dev.sextant.rag.store;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack et al. 2009): each list contributes {@code 1 / (k + rank)} for every chunk it
 * ranks, so lists on different score scales (cosine, BM25) combine without calibration.
 */
public final class RankFusion {

    /** The constant of the original paper and of Milvus' RRFRanker default. */
    public static final int DEFAULT_K = 60;

    private RankFusion() {
    }

    public static List<ScoredChunk> fuse(List<List<ScoredChunk>> rankings, int k, int topK) {
        Map<String, ScoredChunk> byId = new LinkedHashMap<>();
        Map<String, Double> fused = new LinkedHashMap<>();
        for (List<ScoredChunk> ranking : rankings) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                ScoredChunk match = ranking.get(rank);
                byId.putIfAbsent(match.chunk().id(), match);
                fused.merge(match.chunk().id(), 1.0 / (k + rank + 1), Double::sum);
            }
        }
        List<ScoredChunk> out = new ArrayList<>();
        fused.forEach((id, score) -> out.add(new ScoredChunk(byId.get(id).chunk(), score)));
        out.sort(Comparator.comparingDouble(ScoredChunk::score).reversed());
        return out.subList(0, Math.min(topK, out.size()));
    }
}
