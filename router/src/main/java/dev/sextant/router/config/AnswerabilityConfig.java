package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * Whether a chat request is answered when the documents do not cover it, decided before generation from the
 * retrieval's evidence (see rag-pipeline's {@code Answerability}). The thresholds are cosine similarities of the
 * default embedder (all-MiniLM-L6-v2), chosen on the labelled PostgreSQL and SQLite sets (router/README.md); another
 * embedding model needs its own, from {@code eval-retrieval}'s per-question evidence.
 */
public interface AnswerabilityConfig {

    /**
     * {@code refuse}: an uncovered question gets {@link #message()} without a model call, flagged
     * {@code "answerable": false}; {@code flag}: it is answered as usual but flagged; {@code off}: no decision, every
     * retrieved passage goes into the prompt. With {@code flag} and {@code refuse} passages below
     * {@link #minDense()} are never put into a prompt. Per tenant: {@code sextant.tenants."acme".answerability}.
     */
    @WithDefault("refuse")
    @Pattern(regexp = "off|flag|refuse")
    String mode();

    /** Below this cosine the best passage is unrelated: the question is not covered. */
    @WithDefault("0.40")
    @DecimalMin("-1.0")
    @DecimalMax("1.0")
    double minDense();

    /**
     * At or above this cosine the best passage covers the question even when the question names a term the
     * documents contain nowhere (between the two, such a term means not covered).
     */
    @WithDefault("0.62")
    @DecimalMin("-1.0")
    @DecimalMax("1.0")
    double confidentDense();

    /** The answer to a question the documents do not cover, in refuse mode. */
    @WithDefault("The documents do not cover this question, so I cannot answer it from them.")
    @NotBlank
    String message();
}
