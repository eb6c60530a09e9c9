package dev.sextant.inference.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.inference.TinyModel;
import dev.sextant.inference.engine.EngineOptions;
import dev.sextant.inference.engine.InferenceEngine;
import dev.sextant.inference.runner.RunnerOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputBenchmarkTest {

    @Test
    void reportsEveryTokenAndClientSideLatencies() {
        List<String> prompts = List.of("What is a heap?", "hi", "Tell me about queues.", "Why cache?");
        try (InferenceEngine engine = new InferenceEngine(TinyModel.dir(), new EngineOptions("tiny",
                RunnerOptions.cpu(1), 16, 2, 512, 1L << 28, 512), new SimpleMeterRegistry())) {
            var result = ThroughputBenchmark.run(engine, prompts, 8, 2);
            assertThat(result.requests()).isEqualTo(4);
            assertThat(result.generatedTokens()).isEqualTo(32);
            assertThat(result.ttftP99Millis()).isGreaterThanOrEqualTo(result.ttftP50Millis()).isPositive();
            assertThat(result.itlP50Millis()).isNotNaN().isGreaterThanOrEqualTo(0);
            assertThat(result.itlP99Millis()).isGreaterThanOrEqualTo(result.itlP50Millis());
        }
    }

    @Test
    void percentileIsNearestRankAndNaNWithoutValues() {
        double[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(ThroughputBenchmark.percentile(values, 0.50)).isEqualTo(5);
        assertThat(ThroughputBenchmark.percentile(values, 0.99)).isEqualTo(10);
        assertThat(ThroughputBenchmark.percentile(new double[0], 0.99)).isNaN();
    }
}
