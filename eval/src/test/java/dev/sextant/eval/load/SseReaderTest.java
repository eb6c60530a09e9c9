package dev.sextant.eval.load;

import static dev.sextant.eval.load.LoopbackTestServer.ROLE_CHUNK;
import static dev.sextant.eval.load.LoopbackTestServer.contentChunk;
import static dev.sextant.eval.load.LoopbackTestServer.finishChunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Stream decisions on fixed bodies; the clock counts its own readings, so first-token and end are ordered. */
class SseReaderTest {

    private static SseReader.Result read(String body, ResponseKind kind) throws IOException {
        AtomicLong ticks = new AtomicLong();
        return SseReader.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), kind,
                ticks::incrementAndGet);
    }

    private static String events(String... data) {
        StringBuilder sb = new StringBuilder();
        for (String d : data) {
            sb.append("data: ").append(d).append("\n\n");
        }
        return sb.toString();
    }

    @Test
    void aCompleteStreamIsOkAndItsFirstTokenIsTheFirstNonEmptyContent() throws IOException {
        SseReader.Result r = read(events(ROLE_CHUNK, contentChunk(""), contentChunk("Hi"), finishChunk(), "[DONE]"),
                ResponseKind.SSE);
        assertThat(r.ok()).isTrue();
        assertThat(r.firstTokenEvent()).isEqualTo(3);
        assertThat(r.firstTokenNanos()).isPositive().isLessThan(r.endNanos());
    }

    @Test
    void theFirstEventModeTakesTheRoleChunk() throws IOException {
        SseReader.Result r = read(events(ROLE_CHUNK, contentChunk("Hi"), "[DONE]"), ResponseKind.SSE_FIRST_EVENT);
        assertThat(r.ok()).isTrue();
        assertThat(r.firstTokenEvent()).isEqualTo(1);
    }

    @Test
    void aStreamWithoutDoneFails() throws IOException {
        SseReader.Result r = read(events(ROLE_CHUNK, contentChunk("Hi")), ResponseKind.SSE);
        assertThat(r.ok()).isFalse();
        assertThat(r.done()).isFalse();
        assertThat(r.failure()).contains("without data: [DONE]");
        assertThat(r.firstTokenEvent()).isEqualTo(2);
    }

    @Test
    void anErrorEventFailsTheStreamEvenWhenDoneFollows() throws IOException {
        SseReader.Result r = read(events(contentChunk("Hi"), "{\"error\":{\"message\":\"boom\"}}", "[DONE]"),
                ResponseKind.SSE);
        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).contains("boom");

        SseReader.Result typed = read("event: error\ndata: {\"message\":\"boom\"}\n\n" + events("[DONE]"),
                ResponseKind.SSE);
        assertThat(typed.ok()).isFalse();
        assertThat(typed.failure()).startsWith("error event");
    }

    @Test
    void aMalformedEventFailsTheStream() throws IOException {
        SseReader.Result r = read(events("{\"choices\": [", "[DONE]"), ResponseKind.SSE);
        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).startsWith("malformed event 1");
    }

    @Test
    void framingFollowsTheSseRules() throws IOException {
        // comments, "data:" without a space, CRLF line ends, a data field split over two lines, and a [DONE]
        // that the end of the body cuts off before its blank line
        String body = ": keep-alive\r\n\r\n"
                + "data:{\"choices\":[{\"delta\":\r\n"
                + "data: {\"content\":\"Hi\"}}]}\r\n\r\n"
                + "data: [DONE]";
        SseReader.Result r = read(body, ResponseKind.SSE);
        assertThat(r.ok()).isTrue();
        assertThat(r.firstTokenEvent()).isEqualTo(1);
    }

    @Test
    void anEmptyBodyFails() throws IOException {
        SseReader.Result r = read("", ResponseKind.SSE);
        assertThat(r.ok()).isFalse();
        assertThat(r.firstTokenNanos()).isEqualTo(-1);
        assertThat(r.firstTokenEvent()).isZero();
    }
}
