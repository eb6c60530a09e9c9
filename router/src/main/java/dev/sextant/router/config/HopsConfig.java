package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/**
 * SmallRye Fault Tolerance around each hop of a request ({@code sextant.hops.embeddings.*},
 * {@code sextant.hops.retrieval.*}, {@code sextant.hops.inference.*}). Embeddings and retrieval are idempotent and
 * retried with exponential backoff and jitter; inference is never retried here (the replica pool fails over before
 * the first token instead).
 */
public interface HopsConfig {

    HopConfig embeddings();

    HopConfig retrieval();

    HopConfig inference();

    interface HopConfig {
        /** Longest time one call may take; default 10 s for embeddings and retrieval, inference.timeout for inference. */
        Optional<Duration> timeout();

        /** Retries after a failed call (idempotent hops only; ignored for inference). */
        @WithDefault("2")
        @Min(0)
        @Max(10)
        int maxRetries();

        /** Delay before the first retry; doubles with each further retry up to {@code retry-max-delay}. */
        @WithDefault("50ms")
        Duration retryDelay();

        @WithDefault("1s")
        Duration retryMaxDelay();

        /** Random extra delay added to each retry, up to this, so replicas do not retry in lockstep. */
        @WithDefault("50ms")
        Duration retryJitter();

        /** Calls in the rolling window the circuit breaker judges. */
        @WithDefault("20")
        @Min(1)
        int breakerWindow();

        /** Share of failed calls in the window that opens the breaker. */
        @WithDefault("0.5")
        @DecimalMin("0.01")
        @DecimalMax("1.0")
        double breakerFailureRatio();

        /** How long an open breaker refuses calls before letting a trial call through. */
        @WithDefault("5s")
        Duration breakerDelay();

        /** Calls through this hop at once, at most; more are refused at once (503) rather than queued. */
        @WithDefault("256")
        @Min(1)
        int bulkhead();
    }
}
