package dev.sextant.router.resilience;

import dev.sextant.embeddings.EmbeddingServiceException;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.router.config.HopsConfig;
import dev.sextant.router.config.SextantConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One SmallRye Fault Tolerance {@link Guard} per {@link Hop}, built from {@code sextant.hops.*}: timeout, retries
 * with exponential backoff and jitter (idempotent hops only, and only for failures worth retrying), a circuit
 * breaker and a bulkhead. Breaker states are exported as {@code sextant_router_hop_circuit_state{hop}} (0 closed,
 * 1 half-open, 2 open) beside SmallRye's own {@code ft_*} metrics.
 */
@ApplicationScoped
public class Hops {

    private static final Logger LOG = Logger.getLogger(Hops.class);

    private final Map<Hop, Guard> guards = new EnumMap<>(Hop.class);
    private final Map<Hop, AtomicInteger> states = new EnumMap<>(Hop.class);

    public Hops(SextantConfig config, MeterRegistry registry) {
        HopsConfig hops = config.hops();
        Duration inferenceTimeout = config.inference().timeout().plusSeconds(5);
        guards.put(Hop.EMBEDDINGS, build(Hop.EMBEDDINGS, hops.embeddings(), Duration.ofSeconds(10),
                Hops::embeddingsUnavailable, true));
        guards.put(Hop.RETRIEVAL, build(Hop.RETRIEVAL, hops.retrieval(), Duration.ofSeconds(10),
                Hops::retrievalFailed, true));
        guards.put(Hop.INFERENCE, build(Hop.INFERENCE, hops.inference(), inferenceTimeout,
                Hops::inferenceFailed, false));
        for (Hop hop : Hop.values()) {
            Gauge.builder("sextant.router.hop.circuit.state", states.get(hop), AtomicInteger::get)
                    .tag("hop", hop.id()).description("0 closed, 1 half-open, 2 open").register(registry);
        }
    }

    /**
     * Runs {@code work} through the hop's guard.
     *
     * @throws HopFailureException when the breaker is open, the bulkhead full or the call timed out
     */
    public <T> T call(Hop hop, Class<T> type, Supplier<T> work) {
        try {
            return guards.get(hop).get(work, type);
        } catch (CircuitBreakerOpenException e) {
            throw new HopFailureException(hop, HopFailureException.Reason.CIRCUIT_OPEN, hop.id()
                    + " is failing; its circuit breaker is open and calls are refused for a while", e);
        } catch (BulkheadException e) {
            throw new HopFailureException(hop, HopFailureException.Reason.BULKHEAD_FULL, hop.id()
                    + " has too many calls in flight (sextant.hops." + hop.id() + ".bulkhead)", e);
        } catch (TimeoutException e) {
            throw new HopFailureException(hop, HopFailureException.Reason.TIMEOUT, hop.id()
                    + " did not answer in time (sextant.hops." + hop.id() + ".timeout)", e);
        }
    }

    /** 0 closed, 1 half-open, 2 open. */
    public int circuitState(Hop hop) {
        return states.get(hop).get();
    }

    private Guard build(Hop hop, HopsConfig.HopConfig settings, Duration defaultTimeout,
                        Predicate<Throwable> failure, boolean idempotent) {
        AtomicInteger state = new AtomicInteger();
        states.put(hop, state);
        Duration timeout = settings.timeout().orElse(defaultTimeout);
        var builder = Guard.create()
                .withDescription("sextant-" + hop.id())
                .withTimeout().duration(timeout.toMillis(), ChronoUnit.MILLIS).done()
                .withCircuitBreaker()
                .name("sextant-" + hop.id())
                .requestVolumeThreshold(settings.breakerWindow())
                .failureRatio(settings.breakerFailureRatio())
                .delay(settings.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                .when(failure.or(t -> t instanceof TimeoutException))
                .onStateChange(s -> {
                    state.set(s == CircuitBreakerState.CLOSED ? 0 : s == CircuitBreakerState.HALF_OPEN ? 1 : 2);
                    LOG.warnf("circuit breaker of hop %s is now %s", hop.id(), s);
                })
                .done()
                .withBulkhead().limit(settings.bulkhead()).done();
        if (idempotent && settings.maxRetries() > 0) {
            builder = builder.withRetry()
                    .maxRetries(settings.maxRetries())
                    .delay(settings.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(settings.retryJitter().toMillis(), ChronoUnit.MILLIS)
                    .maxDuration(timeout.toMillis() * (settings.maxRetries() + 1L) + 1, ChronoUnit.MILLIS)
                    .whenException(failure.and(t -> !(t instanceof CircuitBreakerOpenException)))
                    .withExponentialBackoff().factor(2)
                    .maxDelay(settings.retryMaxDelay().toMillis(), ChronoUnit.MILLIS).done()
                    .done();
        }
        return builder.build();
    }

    /** Worth retrying and counting against the breaker: the service could not be reached or broke. */
    static boolean embeddingsUnavailable(Throwable t) {
        return t instanceof EmbeddingServiceException e && e.kind() == EmbeddingServiceException.Kind.UNAVAILABLE;
    }

    /** Any store failure but a bad request (the query is embedded before, through its own hop). */
    static boolean retrievalFailed(Throwable t) {
        return t instanceof RuntimeException && !(t instanceof IllegalArgumentException);
    }

    static boolean inferenceFailed(Throwable t) {
        return t instanceof InferenceException e && e.kind() == InferenceException.Kind.INTERNAL;
    }
}
