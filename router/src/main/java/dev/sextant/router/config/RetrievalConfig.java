package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

public interface RetrievalConfig {
    /** {@code hybrid} (dense and BM25, rank-fused), {@code dense} or {@code keyword}. */
    @WithDefault("hybrid")
    @Pattern(regexp = "hybrid|dense|keyword")
    String mode();

    /**
     * How hybrid search merges the dense and keyword rankings: {@code page} (a page's matching chunks in both
     * rankings are evidence for the page; its best chunk leads) or {@code chunk} (reciprocal rank fusion of chunks
     * alone). {@code page} ranks the right page first more often (eval-retrieval on the PostgreSQL suite: recall@1
     * 0.68 vs 0.63, MRR@10 0.79 vs 0.76).
     */
    @WithDefault("page")
    @Pattern(regexp = "page|chunk")
    String fusion();

    /**
     * A reranking stage over the first 30 fused candidates of a hybrid search: {@code none} (the fusion's order),
     * {@code learned} (a linear ranker over ranking features: the two searches' ranks and scores, query terms in
     * the title, headings and text, code identifiers; its shipped weights were fit on the SQLite suite's questions)
     * or {@code maxsim} (late interaction over the embedder's token vectors; needs the local embedder, so not with
     * {@code sextant.embeddings.url}). {@code learned} is the default: measured on questions of a corpus its
     * weights were not fit on, it ties page fusion on PostgreSQL (recall@1 0.68, MRR@10 0.797 vs 0.791) and beats
     * it on SQLite (0.68 vs 0.60, MRR 0.777 vs 0.725) for about 3 ms per query; MaxSim costs 280 ms and ranks
     * worse (rag-pipeline README).
     */
    @WithDefault("learned")
    @Pattern(regexp = "none|learned|maxsim")
    String rerank();

    /**
     * Where a chat prompt's passages go: {@code system} (our system message, before the conversation) or
     * {@code last-turn} (inside the last user message, after a fixed system message and the history, so that the
     * instructions and the history are a prefix an engine's prefix cache can reuse turn after turn). {@code last-turn}
     * answered better and sooner in both full suites (groundedness 0.38 -> 0.45 on PostgreSQL, 0.41 -> 0.47 on
     * SQLite; TTFT p95 1026 -> 775 ms on PostgreSQL: the fixed system message is a prefix every question shares).
     */
    @WithDefault("last-turn")
    @Pattern(regexp = "system|last-turn")
    String contextLayout();

    /**
     * What a follow-up question ("and how do I undo that?") is searched with: {@code fold} (the earlier questions
     * it continues folded in by rule; no model call), {@code model} (the chat model rewrites it as a standalone
     * question, one short greedy generation per follow-up, falling back to the fold) or {@code last} (the last
     * message alone). {@code fold} lifts follow-up recall@5 from 0.51 to 0.83 on the PostgreSQL conversations and
     * from 0.53 to 0.83 on the SQLite ones (first questions: 0.87 and 0.84; eval-conversations).
     */
    @WithDefault("fold")
    @Pattern(regexp = "fold|model|last")
    String rewrite();

    /** Chunks put into a chat prompt. */
    @WithDefault("3")
    @Min(1)
    @Max(50)
    int topK();

    /** Chunks scoring below this cosine similarity are not used. */
    @WithDefault("0.0")
    @DecimalMin("-1.0")
    @DecimalMax("1.0")
    double minScore();

    /**
     * Tokens of context put into a chat prompt at most, counted with the embedder's tokenizer (a close stand-in
     * for the chat model's: both are subword tokenizers of English text; the inference service may be remote).
     */
    @WithDefault("768")
    @Min(32)
    int contextTokens();

    /** At most this many chunks of one document in a result, so one long page cannot crowd out the rest; 0: no limit. */
    @WithDefault("2")
    @Min(0)
    @Max(50)
    int maxPerSource();

    /**
     * When retrieval fails (store or embeddings down, circuit open): {@code no-context} answers from the model
     * alone and flags the response ({@code "retrieval": "unavailable"}); {@code fail} answers 503.
     */
    @WithDefault("no-context")
    @Pattern(regexp = "no-context|fail")
    String onFailure();
}
