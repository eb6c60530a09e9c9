package dev.sextant.rag.retrieve;

import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.rag.store.RankFusion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion of pages: every ranked chunk is evidence for its page, so a page with several matching
 * chunks in either ranking outranks a page with one lucky chunk. Within one ranking the n-th chunk of a page counts
 * {@code decay^n} of its reciprocal rank (the best chunk fully), which keeps a long page's many weak chunks from
 * outweighing a short page's strong one.
 *
 * <p>The result ranks pages: first every page's best chunk (by the chunks' own fused rank), best page first, then
 * every page's second chunk in the same page order, and so on. So the first n chunks come from the n best pages, and
 * a page's further chunks follow once each page has one. Each chunk carries its page's score.
 */
public final class PageFusion implements Fusion {

    /** Weight of a page's second chunk in one ranking relative to its first (the third gets its square, ...). */
    public static final double DEFAULT_DECAY = 0.5;

    private final int k;
    private final double decay;

    public PageFusion() {
        this(RankFusion.DEFAULT_K, DEFAULT_DECAY);
    }

    public PageFusion(int k, double decay) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        if (decay < 0 || decay > 1) {
            throw new IllegalArgumentException("decay must be between 0 and 1, got " + decay);
        }
        this.k = k;
        this.decay = decay;
    }

    @Override
    public FusionResult fuse(FusionRequest request) {
        Map<String, Double> pageScore = new HashMap<>();
        for (List<ScoredChunk> ranking : List.of(request.dense(), request.keyword())) {
            Map<String, Integer> seen = new HashMap<>();
            for (int rank = 0; rank < ranking.size(); rank++) {
                String page = ranking.get(rank).chunk().source();
                int nth = seen.merge(page, 1, Integer::sum) - 1;
                pageScore.merge(page, Math.pow(decay, nth) / (k + rank + 1), Double::sum);
            }
        }
        // Chunk order inside a page: the chunks' own reciprocal rank fusion, kept by the stable sort below.
        List<ScoredChunk> chunks = RankFusion.fuse(List.of(request.dense(), request.keyword()), k,
                request.dense().size() + request.keyword().size());
        List<ScoredChunk> out = new ArrayList<>(chunks.size());
        Map<String, Integer> nthOfPage = new HashMap<>();
        Map<String, Integer> round = new HashMap<>();
        for (ScoredChunk c : chunks) {
            round.put(c.chunk().id(), nthOfPage.merge(c.chunk().source(), 1, Integer::sum) - 1);
            out.add(new ScoredChunk(c.chunk(), pageScore.get(c.chunk().source())));
        }
        out.sort(Comparator.<ScoredChunk>comparingInt(c -> round.get(c.chunk().id()))
                .thenComparing(Comparator.comparingDouble(ScoredChunk::score).reversed())
                .thenComparing(c -> c.chunk().source()));
        return new FusionResult(out.subList(0, Math.min(request.topK(), out.size())));
    }
}
