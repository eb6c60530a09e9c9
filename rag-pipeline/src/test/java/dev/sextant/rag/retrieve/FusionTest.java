package dev.sextant.rag.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.rag.store.RankFusion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {

    /** Chunks named {@code page#n}, scored by position (the fusions only look at ranks). */
    static List<ScoredChunk> ranking(String... ids) {
        List<ScoredChunk> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            String page = ids[i].substring(0, ids[i].indexOf('#'));
            out.add(new ScoredChunk(new Chunk(ids[i], "t", page, page, List.of(), "text of " + ids[i], i, "h"),
                    1.0 - i * 0.01));
        }
        return out;
    }

    static List<String> ids(Fusion.FusionResult result) {
        return result.ranked().stream().map(c -> c.chunk().id()).toList();
    }

    @Test
    void chunkFusionIsReciprocalRankFusionOfTheTwoRankings() {
        var dense = ranking("a#0", "b#0", "c#0");
        var keyword = ranking("c#0", "a#0", "d#0");
        var fused = new ChunkFusion().fuse(new Fusion.FusionRequest(dense, keyword, 3));
        assertThat(fused.ranked()).isEqualTo(RankFusion.fuse(List.of(dense, keyword), RankFusion.DEFAULT_K, 3));
        assertThat(ids(fused)).containsExactly("a#0", "c#0", "b#0");
    }

    @Test
    void aPageWithSeveralMatchingChunksOutranksOneLuckyChunk() {
        // Chunk fusion puts x's one chunk first; page fusion counts all three of p's chunks as evidence for p.
        var dense = ranking("x#0", "p#0", "p#1", "q#0", "p#2");
        var keyword = ranking("x#0", "p#1", "q#0", "p#0");
        assertThat(ids(new ChunkFusion().fuse(new Fusion.FusionRequest(dense, keyword, 6))).get(0)).isEqualTo("x#0");
        var fused = new PageFusion().fuse(new Fusion.FusionRequest(dense, keyword, 6));
        // Each page's best chunk first, best page first; then the pages' further chunks in the same order.
        assertThat(ids(fused)).containsExactly("p#1", "x#0", "q#0", "p#0", "p#2");
        assertThat(fused.ranked().get(0).score()).isEqualTo(fused.ranked().get(3).score())
                .isGreaterThan(fused.ranked().get(1).score());
    }

    @Test
    void withoutDecayEveryChunkCountsFullyAndWithFullDecayOnlyEachPagesBest() {
        var dense = ranking("x#0", "p#0", "p#1", "p#2");
        var keyword = ranking("x#0", "p#0");
        // decay 0: only each page's best chunk per ranking counts, i.e. page-level RRF of best chunks: x wins.
        assertThat(ids(new PageFusion(60, 0).fuse(new Fusion.FusionRequest(dense, keyword, 4))).get(0))
                .isEqualTo("x#0");
        // decay 1: p's four matching chunks outweigh x's two.
        assertThat(ids(new PageFusion(60, 1).fuse(new Fusion.FusionRequest(dense, keyword, 4))).get(0))
                .startsWith("p#");
    }

    @Test
    void topKCutsTheResultAndBadSettingsAreRefused() {
        var dense = ranking("a#0", "b#0", "c#0");
        assertThat(new PageFusion().fuse(new Fusion.FusionRequest(dense, List.of(), 2)).ranked()).hasSize(2);
        assertThat(new PageFusion().fuse(new Fusion.FusionRequest(List.of(), List.of(), 2)).ranked()).isEmpty();
        assertThatThrownBy(() -> new PageFusion(0, 0.5)).hasMessageContaining("k must be positive");
        assertThatThrownBy(() -> new PageFusion(60, 1.5)).hasMessageContaining("decay");
        assertThatThrownBy(() -> new Fusion.FusionRequest(dense, dense, 0)).hasMessageContaining("topK");
    }
}
