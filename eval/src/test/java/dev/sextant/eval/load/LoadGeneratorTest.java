package dev.sextant.eval.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generator against a real HTTP server on a loopback socket. Asserts counts, orderings and exact figures
 * only: the machine is shared, so nothing here depends on how fast requests are answered.
 */
class LoadGeneratorTest {

    LoopbackTestServer server;
    LoadGenerator generator;

    @BeforeEach
    void start() throws IOException {
        server = new LoopbackTestServer();
        generator = new LoadGenerator();
    }

    @AfterEach
    void stop() {
        generator.close();
        server.close();
    }

    /** Five request kinds in turn; the broken streams alternate between a cut-off stream and an error event. */
    private RequestSource mixed() {
        return sequence -> switch ((int) (sequence % 10)) {
            case 0, 5 -> LoadRequest.postJson(server.uri("/json"), "{\"q\":" + sequence + "}");
            case 1, 6 -> LoadRequest.postJson(server.uri("/sse"), "{\"stream\":true}").streaming();
            case 2, 7 -> LoadRequest.get(server.uri("/status/429"));
            case 3, 8 -> LoadRequest.get(server.uri("/status/500"));
            case 4 -> LoadRequest.postJson(server.uri("/sse-broken"), "{}").streaming();
            default -> LoadRequest.postJson(server.uri("/sse-error"), "{}").streaming();
        };
    }

    @Test
    void sendsRateTimesDurationAndCountsEveryOutcomeClass() throws InterruptedException {
        LoadReport report = generator.runOpenLoop("mixed", LoadProfile.of(List.of(50.0), Duration.ofSeconds(2)),
                mixed());

        StepResult step = report.steps().get(0);
        assertThat(step.scheduled()).isEqualTo(100);
        assertThat(step.sent()).isEqualTo(100);
        assertThat(server.totalHits()).isEqualTo(100);
        assertThat(server.hits("/json")).isEqualTo(20);
        assertThat(server.hits("/sse")).isEqualTo(20);
        assertThat(server.hits("/sse-broken")).isEqualTo(10);
        assertThat(server.hits("/sse-error")).isEqualTo(10);
        assertThat(step.outcomes()).isEqualTo(new OutcomeCounts(40, 20, 0, 20, 0, 20, 0, 0, 0));
        assertThat(step.requests()).hasSize(100);

        // request i is due at i / rate: 20 ms apart
        assertThat(step.requests()).extracting(RequestRecord::scheduledNanos)
                .containsExactlyElementsOf(LongStream.range(0, 100).map(i -> i * 20_000_000L)
                        .boxed().toList());
        for (RequestRecord r : step.requests()) {
            assertThat(r.sentNanos()).as("sent after due").isGreaterThanOrEqualTo(r.scheduledNanos());
            assertThat(r.endNanos()).isGreaterThanOrEqualTo(r.sentNanos());
            boolean stream = r.sequence() % 5 == 1 || r.sequence() % 5 == 4;
            if (stream) {
                // the broken streams also carried a token before failing
                assertThat(r.firstTokenNanos()).as("TTFT of %d", r.sequence()).isBetween(r.sentNanos(), r.endNanos());
            } else {
                assertThat(r.hasFirstToken()).as("no token for a plain body").isFalse();
            }
        }
        // latency figures cover the 40 OK answers, TTFT the 20 OK streams
        assertThat(step.latency().count()).isEqualTo(40);
        assertThat(step.serviceTime().count()).isEqualTo(40);
        assertThat(step.ttft().count()).isEqualTo(20);
        assertThat(step.ttftFromSent().count()).isEqualTo(20);
        assertThat(step.serviceTime().p50Ms()).isLessThanOrEqualTo(step.latency().p50Ms());
        assertThat(step.serviceTime().maxMs()).isLessThanOrEqualTo(step.latency().maxMs());
        assertThat(step.ttftFromSent().maxMs()).isLessThanOrEqualTo(step.ttft().maxMs());
        assertThat(step.throughput()).isEqualTo(40 / step.windowSeconds());
        assertThat(step.windowSeconds()).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void warmUpRequestsAreSentButNotRecorded() throws InterruptedException {
        LoadProfile profile = LoadProfile.of(List.of(40.0), Duration.ofMillis(500)).withWarmUp(Duration.ofMillis(250));
        StepResult step = generator.runOpenLoop("warm", profile, RequestSource.always(
                LoadRequest.get(server.uri("/json")))).steps().get(0);

        assertThat(server.hits("/json")).isEqualTo(10 + 20);
        assertThat(step.scheduled()).isEqualTo(20);
        assertThat(step.outcomes().ok()).isEqualTo(20);
        assertThat(step.latency().count()).isEqualTo(20);
        assertThat(step.requests()).extracting(RequestRecord::sequence)
                .containsExactlyElementsOf(LongStream.range(10, 30).boxed().toList());
        assertThat(step.requests().get(0).scheduledNanos()).isZero();
    }

    @Test
    void stepsRunInOrderAndNumberRequestsAcrossTheRun() throws InterruptedException {
        LoadReport report = generator.runOpenLoop("sweep", LoadProfile.of(List.of(20.0, 40.0), Duration.ofMillis(500)),
                RequestSource.always(LoadRequest.get(server.uri("/json"))));

        assertThat(report.steps()).extracting(StepResult::label).containsExactly("open 20/s", "open 40/s");
        assertThat(report.steps()).extracting(StepResult::sent).containsExactly(10L, 20L);
        assertThat(report.step("open 40/s").requests().get(0).sequence()).isEqualTo(10);
        assertThat(server.hits("/json")).isEqualTo(30);
    }

    @Test
    void theInFlightCapDropsRequestsInsteadOfQueueingThem() throws InterruptedException {
        // The server holds every answer until the generator has gone through the whole schedule.
        LoadListener releaseAtEndOfSchedule = new LoadListener() {
            @Override
            public void scheduleFinished(StepSpec step) {
                server.release();
            }
        };
        try (LoadGenerator capped = new LoadGenerator(releaseAtEndOfSchedule)) {
            LoadProfile profile = LoadProfile.of(List.of(20.0), Duration.ofSeconds(1)).withMaxInFlight(5);
            StepResult step = capped.runOpenLoop("capped", profile,
                    RequestSource.always(LoadRequest.get(server.uri("/block")))).steps().get(0);

            assertThat(step.scheduled()).isEqualTo(20);
            assertThat(step.sent()).isEqualTo(5);
            assertThat(step.outcomes()).isEqualTo(new OutcomeCounts(5, 0, 0, 0, 0, 0, 0, 0, 15));
            assertThat(server.hits("/block")).isEqualTo(5);
            // the first five took the slots; every later one found them taken
            assertThat(step.requests()).filteredOn(r -> r.outcome() == Outcome.OK).extracting(RequestRecord::sequence)
                    .containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(step.requests()).filteredOn(r -> r.outcome() == Outcome.DROPPED)
                    .allSatisfy(r -> assertThat(r.sent()).isFalse());
            assertThat(step.spec().maxInFlight()).isEqualTo(5);
        }
    }

    @Test
    void answersThatNeverCompleteTimeOut() throws InterruptedException {
        // Neither endpoint answers in full before the test ends, so every request must time out, however slow
        // the machine; half stall before the headers, half in the middle of the stream.
        LoadProfile profile = LoadProfile.of(List.of(40.0), Duration.ofMillis(200))
                .withRequestTimeout(Duration.ofMillis(300));
        StepResult step = generator.runOpenLoop("stall", profile, sequence -> sequence % 2 == 0
                ? LoadRequest.get(server.uri("/block"))
                : LoadRequest.get(server.uri("/sse-stall")).streaming()).steps().get(0);

        assertThat(step.outcomes()).isEqualTo(new OutcomeCounts(0, 0, 0, 0, 0, 0, 0, 8, 0));
        assertThat(step.latency()).isEqualTo(LatencyStats.NONE);
        assertThat(step.requests()).filteredOn(r -> r.sequence() % 2 == 1)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void refusedConnectionsAreIoErrors() throws IOException, InterruptedException {
        URI closed;
        try (LoopbackTestServer gone = new LoopbackTestServer()) {
            closed = gone.uri("/json");
        }
        StepResult step = generator.runOpenLoop("refused", LoadProfile.of(List.of(20.0), Duration.ofMillis(250)),
                RequestSource.always(LoadRequest.get(closed))).steps().get(0);

        assertThat(step.outcomes()).isEqualTo(new OutcomeCounts(0, 0, 0, 0, 0, 0, 5, 0, 0));
        assertThat(step.throughput()).isZero();
    }

    @Test
    void closedLoopKeepsEveryClientBusyAndRecordsOnlyTheMeasuredWindow() throws InterruptedException {
        ClosedLoopProfile profile = ClosedLoopProfile.of(List.of(4), Duration.ofSeconds(1))
                .withWarmUp(Duration.ofMillis(200));
        StepResult step = generator.runClosedLoop("closed", profile,
                RequestSource.always(LoadRequest.postJson(server.uri("/sse"), "{}").streaming())).steps().get(0);

        assertThat(step.label()).isEqualTo("closed 4 clients");
        assertThat(step.sent()).isPositive().isEqualTo(step.scheduled()).isEqualTo(step.outcomes().ok());
        assertThat(step.outcomes().failures()).isZero();
        assertThat(step.ttft().count()).isEqualTo(step.sent());
        assertThat(server.hits("/sse")).isGreaterThanOrEqualTo((int) step.sent());
        for (RequestRecord r : step.requests()) {
            assertThat(r.scheduledNanos()).isBetween(0L, Duration.ofSeconds(1).toNanos() - 1);
            assertThat(r.firstTokenNanos()).isBetween(r.sentNanos(), r.endNanos());
        }
    }

    @Test
    void theSourceIsAskedOncePerSentRequest() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        StepResult step = generator.runOpenLoop("first-event", LoadProfile.of(List.of(20.0), Duration.ofMillis(250)),
                sequence -> {
                    calls.incrementAndGet();
                    return LoadRequest.postJson(server.uri("/sse"), "{}").streaming(ResponseKind.SSE_FIRST_EVENT);
                }).steps().get(0);

        assertThat(calls).hasValue(5);
        assertThat(step.outcomes().ok()).isEqualTo(5);
        assertThat(step.ttft().count()).isEqualTo(5);
    }

    @Test
    void aRequestThatCannotBeBuiltStopsTheRun() {
        LoadRequest bad = LoadRequest.get(server.uri("/json")).withHeader("host", "elsewhere");
        assertThatThrownBy(() -> generator.runOpenLoop("bad", LoadProfile.of(List.of(20.0), Duration.ofMillis(250)),
                RequestSource.always(bad)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not be sent")
                .hasMessageContaining("open 20/s");
    }
}
