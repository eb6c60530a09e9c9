package dev.sextant.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.embeddings.EmbeddingServiceException;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.router.resilience.Hop;
import dev.sextant.router.resilience.HopFailureException;
import dev.sextant.router.resilience.Hops;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The hop guards as SmallRye Fault Tolerance runs them in the application, with small windows to reach states. */
@QuarkusTest
@TestProfile(HopsTest.SmallWindows.class)
class HopsTest {

    public static class SmallWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "sextant.hops.embeddings.retry-delay", "1ms",
                    "sextant.hops.embeddings.retry-jitter", "1ms",
                    "sextant.hops.embeddings.breaker-window", "100",
                    "sextant.hops.retrieval.breaker-window", "4",
                    "sextant.hops.retrieval.breaker-delay", "60s",
                    "sextant.hops.retrieval.max-retries", "0",
                    "sextant.hops.inference.bulkhead", "1",
                    "sextant.hops.inference.timeout", "300ms");
        }
    }

    @Inject
    Hops hops;

    @Test
    void anUnreachableEmbeddingsServiceIsRetriedWithBackoffAndThenSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = hops.call(Hop.EMBEDDINGS, String.class, () -> {
            if (calls.incrementAndGet() < 3) {
                throw EmbeddingServiceException.unavailable("connection refused", 0, null);
            }
            return "vectors";
        });
        assertThat(result).isEqualTo("vectors");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aRejectedRequestIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> hops.call(Hop.EMBEDDINGS, String.class, () -> {
            calls.incrementAndGet();
            throw EmbeddingServiceException.rejected("input[0] is empty", 400);
        })).isInstanceOf(EmbeddingServiceException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aFailingStoreOpensTheRetrievalBreakerWhichThenRefusesWithoutCalling() {
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> hops.call(Hop.RETRIEVAL, String.class, () -> {
                calls.incrementAndGet();
                throw new IllegalStateException("milvus: connection reset");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(hops.circuitState(Hop.RETRIEVAL)).isEqualTo(2);
        assertThatThrownBy(() -> hops.call(Hop.RETRIEVAL, String.class, () -> {
            calls.incrementAndGet();
            return "never";
        })).isInstanceOfSatisfying(HopFailureException.class, e -> {
            assertThat(e.reason()).isEqualTo(HopFailureException.Reason.CIRCUIT_OPEN);
            assertThat(e.getMessage()).contains("retrieval");
        });
        assertThat(calls).hasValue(4);
    }

    @Test
    void aFullInferenceBulkheadRefusesAtOnceAndASlowCallTimesOut() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> hops.call(Hop.INFERENCE, String.class, () -> {
            inside.countDown();
            try {
                release.await(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done";
        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> hops.call(Hop.INFERENCE, String.class, () -> "second"))
                .isInstanceOfSatisfying(HopFailureException.class, e ->
                        assertThat(e.reason()).isEqualTo(HopFailureException.Reason.BULKHEAD_FULL));
        release.countDown();
        holder.join();

        assertThatThrownBy(() -> hops.call(Hop.INFERENCE, String.class, () -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                throw new InferenceException(InferenceException.Kind.INTERNAL, "interrupted");
            }
            return "late";
        })).isInstanceOfSatisfying(HopFailureException.class, e ->
                assertThat(e.reason()).isEqualTo(HopFailureException.Reason.TIMEOUT));
    }
}
