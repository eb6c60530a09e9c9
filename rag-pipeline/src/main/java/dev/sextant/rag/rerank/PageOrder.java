package dev.sextant.rag.rerank;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders rescored chunks as {@link dev.sextant.rag.retrieve.PageFusion} orders fused ones: every page's best chunk
 * first (best page first), then every page's second chunk, and so on. A reranker that sorted chunks alone would let
 * one page's several good chunks push other pages out of the first results, which then name fewer pages.
 */
final class PageOrder {

    private PageOrder() {
    }

    static List<ScoredChunk> of(List<ScoredChunk> scored) {
        List<ScoredChunk> sorted = new ArrayList<>(scored);
        // Stable: ties keep the order the chunks came in.
        sorted.sort(Comparator.comparingDouble(ScoredChunk::score).reversed());
        Map<String, Integer> nthOfPage = new HashMap<>();
        Map<ScoredChunk, Integer> round = new IdentityHashMap<>();
        for (ScoredChunk c : sorted) {
            round.put(c, nthOfPage.merge(c.chunk().source(), 1, Integer::sum) - 1);
        }
        sorted.sort(Comparator.comparingInt(round::get));
        return sorted;
    }
}
