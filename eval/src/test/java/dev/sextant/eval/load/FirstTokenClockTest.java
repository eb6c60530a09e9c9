package dev.sextant.eval.load;

import static dev.sextant.eval.load.LoopbackTestServer.ROLE_CHUNK;
import static dev.sextant.eval.load.LoopbackTestServer.contentChunk;
import static dev.sextant.eval.load.LoopbackTestServer.finishChunk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.openai.sse.ChunkStreamReader;
import dev.sextant.openai.sse.StreamEnd;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What counts as the first token in each streaming mode; the clock counts its own readings. The framing and the
 * stream decisions are tested with the reader, in the openai module.
 */
class FirstTokenClockTest {

    private final AtomicLong ticks = new AtomicLong();

    private StreamEnd read(FirstTokenClock clock, String... data) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String d : data) {
            sb.append("data: ").append(d).append("\n\n");
        }
        return ChunkStreamReader.read(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)),
                clock);
    }

    @Test
    void sseTakesTheFirstNonEmptyContentAndReadsTheClockOnce() throws IOException {
        FirstTokenClock clock = new FirstTokenClock(ResponseKind.SSE, ticks::incrementAndGet);
        StreamEnd end = read(clock, ROLE_CHUNK, contentChunk(""), contentChunk("Hi"), contentChunk("!"),
                finishChunk(), "[DONE]");
        assertThat(end.done()).isTrue();
        assertThat(clock.event()).isEqualTo(3);
        assertThat(clock.nanos()).isEqualTo(1);
        assertThat(ticks.get()).as("no reading after the first token").isEqualTo(1);
    }

    @Test
    void theFirstEventModeTakesTheRoleChunk() throws IOException {
        FirstTokenClock clock = new FirstTokenClock(ResponseKind.SSE_FIRST_EVENT, ticks::incrementAndGet);
        assertThat(read(clock, ROLE_CHUNK, contentChunk("Hi"), "[DONE]").done()).isTrue();
        assertThat(clock.event()).isEqualTo(1);
    }

    @Test
    void aMalformedEventBeforeTheFirstTokenFailsTheStreamInEitherMode() throws IOException {
        for (ResponseKind kind : new ResponseKind[] {ResponseKind.SSE, ResponseKind.SSE_FIRST_EVENT}) {
            FirstTokenClock clock = new FirstTokenClock(kind, ticks::incrementAndGet);
            StreamEnd end = read(clock, "{\"choices\": [", "[DONE]");
            assertThat(end.how()).as(kind.name()).isEqualTo(StreamEnd.How.MALFORMED);
            assertThat(clock.nanos()).isEqualTo(-1);
            assertThat(clock.event()).isZero();
        }
    }
}
