package dev.sextant.eval.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.eval.load.LoadJson;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A results file written by one run is readable as the baseline of the next. */
class SuiteResultJsonTest {

    @Test
    void theShippedResultsReadBackAsABaseline() throws Exception {
        Path file = Path.of("suites/results/postgresql-15-results.json");
        SuiteResult baseline = LoadJson.MAPPER.readValue(file.toFile(), SuiteResult.class);
        assertThat(baseline.suite()).isEqualTo("postgresql-15");
        assertThat(baseline.questions()).hasSize(60);
        assertThat(baseline.latency().load()).hasSize(2);
        assertThat(SuiteMetrics.flatten(baseline)).containsKey("retrieval.hybrid.recall@5")
                .containsKey("cache.false_hit_rate").containsKey("latency.total.p95_ms");
        String again = LoadJson.MAPPER.writeValueAsString(baseline);
        assertThat(SuiteMetrics.flatten(LoadJson.MAPPER.readValue(again, SuiteResult.class)))
                .isEqualTo(SuiteMetrics.flatten(baseline));
        assertThat(SuiteGate.check(SuiteLoader.load(Path.of("suites/postgresql-15.yaml")).definition(), baseline,
                baseline)).isEmpty();
    }
}
