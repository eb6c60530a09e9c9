package dev.sextant.eval.retrieval;

import dev.sextant.rag.retrieve.ChunkFusion;
import dev.sextant.rag.retrieve.Fusion;
import dev.sextant.rag.retrieve.PageFusion;
import dev.sextant.rag.store.ChunkStore.SearchMode;
import dev.sextant.rag.store.lucene.KeywordScoring;
import java.util.Locale;

/**
 * One way of retrieving that an evaluation scores: a search mode, for hybrid search how the two rankings merge, and
 * how the embedded store scores keywords ({@link KeywordScoring}; other stores score theirs one way only).
 */
public enum RetrievalMethod {
    DENSE(SearchMode.DENSE, new ChunkFusion(), KeywordScoring.BODY),
    KEYWORD(SearchMode.KEYWORD, new ChunkFusion(), KeywordScoring.BODY),
    /** Chunk-level reciprocal rank fusion: what hybrid search did before page fusion. */
    HYBRID(SearchMode.HYBRID, new ChunkFusion(), KeywordScoring.BODY),
    HYBRID_PAGE(SearchMode.HYBRID, new PageFusion(), KeywordScoring.BODY),
    /** BM25 with the title and heading fields weighted in. */
    KEYWORD_FIELDS(SearchMode.KEYWORD, new ChunkFusion(), KeywordScoring.FIELDS),
    HYBRID_PAGE_FIELDS(SearchMode.HYBRID, new PageFusion(), KeywordScoring.FIELDS),
    /** Fields, whole identifiers and upper-case phrases. */
    KEYWORD_IDENT(SearchMode.KEYWORD, new ChunkFusion(), KeywordScoring.IDENTIFIERS),
    HYBRID_PAGE_IDENT(SearchMode.HYBRID, new PageFusion(), KeywordScoring.IDENTIFIERS),
    /** hybrid-page (the store's default scoring), its first candidates reordered by MaxSim over token vectors. */
    HYBRID_PAGE_MAXSIM(SearchMode.HYBRID, new PageFusion(), KeywordScoring.DEFAULT, Rerank.MAXSIM),
    /** hybrid-page (the store's default scoring), its first candidates reordered by the learned ranker. */
    HYBRID_PAGE_LEARNED(SearchMode.HYBRID, new PageFusion(), KeywordScoring.DEFAULT, Rerank.LEARNED),
    /**
     * hybrid-page, its first candidates judged relevant or not by a chat model; measured only when the evaluation
     * is given one ({@link RetrievalEvaluation.Tuning#judge()}).
     */
    HYBRID_PAGE_CHAT(SearchMode.HYBRID, new PageFusion(), KeywordScoring.DEFAULT, Rerank.CHAT);

    /** Which reranker reorders the fused candidates. */
    public enum Rerank { NONE, MAXSIM, LEARNED, CHAT }

    private final SearchMode mode;
    private final Fusion fusion;
    private final KeywordScoring scoring;
    private final Rerank rerank;

    RetrievalMethod(SearchMode mode, Fusion fusion, KeywordScoring scoring) {
        this(mode, fusion, scoring, Rerank.NONE);
    }

    RetrievalMethod(SearchMode mode, Fusion fusion, KeywordScoring scoring, Rerank rerank) {
        this.mode = mode;
        this.fusion = fusion;
        this.scoring = scoring;
        this.rerank = rerank;
    }

    public Rerank rerank() {
        return rerank;
    }

    public SearchMode mode() {
        return mode;
    }

    public Fusion fusion() {
        return fusion;
    }

    public KeywordScoring scoring() {
        return scoring;
    }

    /** How reports name it: {@code dense}, {@code keyword}, {@code hybrid}, {@code hybrid-page}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
