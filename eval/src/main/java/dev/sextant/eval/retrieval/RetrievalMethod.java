package dev.sextant.eval.retrieval;

import dev.sextant.rag.retrieve.ChunkFusion;
import dev.sextant.rag.retrieve.Fusion;
import dev.sextant.rag.retrieve.PageFusion;
import dev.sextant.rag.store.ChunkStore.SearchMode;
import java.util.Locale;

/** One way of retrieving that an evaluation scores: a search mode and, for hybrid search, how the two rankings merge. */
public enum RetrievalMethod {
    DENSE(SearchMode.DENSE, new ChunkFusion()),
    KEYWORD(SearchMode.KEYWORD, new ChunkFusion()),
    /** Chunk-level reciprocal rank fusion: what hybrid search did before page fusion. */
    HYBRID(SearchMode.HYBRID, new ChunkFusion()),
    HYBRID_PAGE(SearchMode.HYBRID, new PageFusion());

    private final SearchMode mode;
    private final Fusion fusion;

    RetrievalMethod(SearchMode mode, Fusion fusion) {
        this.mode = mode;
        this.fusion = fusion;
    }

    public SearchMode mode() {
        return mode;
    }

    public Fusion fusion() {
        return fusion;
    }

    /** How reports name it: {@code dense}, {@code keyword}, {@code hybrid}, {@code hybrid-page}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
