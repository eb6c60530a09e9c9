package dev.sextant.inference.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** Prometheus-facing measurements of the engine (names are prefixed {@code sextant_inference_} on export). */
final class EngineMetrics {

    private final Timer timeToFirstToken;
    private final Timer interTokenLatency;
    private final Counter generatedTokens;
    private final Counter promptTokens;
    private final Counter rejected;
    private final DistributionSummary batchSize;
    private final MeterRegistry registry;
    private final String model;

    EngineMetrics(MeterRegistry registry, String model, Supplier<Number> waiting, Supplier<Number> running,
                  Supplier<Number> kvUsage) {
        this.registry = registry;
        this.model = model;
        timeToFirstToken = Timer.builder("sextant.inference.time.to.first.token").tag("model", model)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
        interTokenLatency = Timer.builder("sextant.inference.inter.token.latency").tag("model", model)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        generatedTokens = Counter.builder("sextant.inference.generated.tokens").tag("model", model)
                .description("completion tokens produced (rate = tokens/s)").register(registry);
        promptTokens = Counter.builder("sextant.inference.prompt.tokens").tag("model", model).register(registry);
        rejected = Counter.builder("sextant.inference.rejected.requests").tag("model", model)
                .description("requests refused because the waiting queue was full").register(registry);
        batchSize = DistributionSummary.builder("sextant.inference.decode.batch.size").tag("model", model)
                .register(registry);
        Gauge.builder("sextant.inference.waiting.sequences", waiting).tag("model", model).register(registry);
        Gauge.builder("sextant.inference.running.sequences", running).tag("model", model).register(registry);
        Gauge.builder("sextant.inference.kv.cache.usage", kvUsage).tag("model", model)
                .description("share of KV cache slots in use").register(registry);
    }

    void firstToken(long nanos) {
        timeToFirstToken.record(Duration.ofNanos(nanos));
    }

    void nextToken(long nanos) {
        interTokenLatency.record(Duration.ofNanos(nanos));
    }

    void generated(int tokens) {
        generatedTokens.increment(tokens);
    }

    void prompt(int tokens) {
        promptTokens.increment(tokens);
    }

    void rejected() {
        rejected.increment();
    }

    /** Requests that ended, by OpenAI finish reason (stop, length, cancelled, timeout). */
    void finished(String reason) {
        registry.counter("sextant.inference.finished.requests", "model", model, "reason", reason).increment();
    }

    void decodeBatch(int rows) {
        batchSize.record(rows);
    }

    /** A constrained sequence ended: how many masks it computed and how long they took, on the engine thread. */
    void structured(int masks, long nanos) {
        registry.counter("sextant.inference.structured.masks", "model", model).increment(masks);
        registry.counter("sextant.inference.structured.mask.seconds", "model", model).increment(nanos / 1e9);
    }
}
