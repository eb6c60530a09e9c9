package dev.sextant.openai.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.openai.WireFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stream decisions on fixed bodies. The first cases are those of the eval load generator's former reader: what
 * it needs (the first event with content, the first event at all, counts) expressed as listeners.
 */
class ChunkStreamReaderTest {

    static final String ROLE_CHUNK = "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}";

    static String contentChunk(String text) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}";
    }

    static String finishChunk() {
        return "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
    }

    private static String events(String... data) {
        StringBuilder sb = new StringBuilder();
        for (String d : data) {
            sb.append("data: ").append(d).append("\n\n");
        }
        return sb.toString();
    }

    private static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Notes the number of the first chunk with text, as the load generator's TTFT does. */
    private static final class FirstText implements ChunkListener {
        int first;
        final StringBuilder text = new StringBuilder();

        @Override
        public boolean onChunk(StreamChunk chunk) {
            if (first == 0 && chunk.completion().hasText()) {
                first = chunk.number();
            }
            text.append(chunk.completion().text());
            return true;
        }
    }

    private static FirstText firstText() {
        return new FirstText();
    }

    @Test
    void aCompleteStreamIsOkAndItsFirstTokenIsTheFirstNonEmptyContent() throws IOException {
        FirstText listener = firstText();
        StreamEnd end = ChunkStreamReader.read(body(events(ROLE_CHUNK, contentChunk(""), contentChunk("Hi"),
                finishChunk(), "[DONE]")), listener);
        assertThat(end.done()).isTrue();
        assertThat(end.how()).isEqualTo(StreamEnd.How.DONE);
        assertThat(end.chunks()).isEqualTo(4);
        assertThat(listener.first).isEqualTo(3);
        assertThat(listener.text).hasToString("Hi");
    }

    @Test
    void theFirstEventModeTakesTheRoleChunk() throws IOException {
        List<Integer> seen = new ArrayList<>();
        StreamEnd end = ChunkStreamReader.read(body(events(ROLE_CHUNK, contentChunk("Hi"), "[DONE]")), chunk -> {
            seen.add(chunk.number());
            return true;
        });
        assertThat(end.done()).isTrue();
        assertThat(seen).containsExactly(1, 2);
    }

    @Test
    void aStreamWithoutDoneFails() throws IOException {
        FirstText listener = firstText();
        StreamEnd end = ChunkStreamReader.read(body(events(ROLE_CHUNK, contentChunk("Hi"))), listener);
        assertThat(end.done()).isFalse();
        assertThat(end.how()).isEqualTo(StreamEnd.How.CUT_OFF);
        assertThat(end.describe()).contains("without data: [DONE]");
        assertThat(listener.first).isEqualTo(2);
    }

    @Test
    void anErrorEventFailsTheStreamEvenWhenDoneFollows() throws IOException {
        FirstText listener = firstText();
        StreamEnd end = ChunkStreamReader.read(body(events(contentChunk("Hi"),
                "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}",
                "[DONE]")), listener);
        assertThat(end.done()).isFalse();
        assertThat(end.how()).isEqualTo(StreamEnd.How.ERROR);
        assertThat(end.error().message()).isEqualTo("boom");
        assertThat(end.error().type()).isEqualTo("server_error");
        assertThat(end.describe()).contains("boom");
        assertThat(listener.text).as("the error chunk is not delivered as content").hasToString("Hi");

        StreamEnd typed = ChunkStreamReader.read(body("event: error\ndata: {\"message\":\"boom\"}\n\n"
                + events("[DONE]")), firstText());
        assertThat(typed.done()).isFalse();
        assertThat(typed.describe()).startsWith("error event");
        assertThat(typed.error().message()).isEqualTo("boom");

        StreamEnd plain = ChunkStreamReader.read(body("event: error\ndata: upstream went away\n\n"), firstText());
        assertThat(plain.error().message()).isEqualTo("upstream went away");
        StreamEnd stringError = ChunkStreamReader.read(body(events("{\"error\":\"quota exceeded\"}")), firstText());
        assertThat(stringError.error().message()).isEqualTo("quota exceeded");
    }

    @Test
    void aMalformedEventFailsTheStream() throws IOException {
        StreamEnd end = ChunkStreamReader.read(body(events("{\"choices\": [", "[DONE]")), firstText());
        assertThat(end.done()).isFalse();
        assertThat(end.how()).isEqualTo(StreamEnd.How.MALFORMED);
        assertThat(end.describe()).startsWith("malformed event 1");

        StreamEnd withErrorKey = ChunkStreamReader.read(body(events("{\"error\": {", "[DONE]")), chunk -> true);
        assertThat(withErrorKey.how()).as("found without the listener parsing").isEqualTo(StreamEnd.How.MALFORMED);
    }

    @Test
    void chunksAreParsedOnlyWhenTheListenerAsks() throws IOException {
        List<String> raw = new ArrayList<>();
        StreamEnd end = ChunkStreamReader.read(body(events("not json at all", contentChunk("Hi"), "[DONE]")),
                chunk -> raw.add(chunk.data()));
        assertThat(end.done()).isTrue();
        assertThat(raw).containsExactly("not json at all", contentChunk("Hi"));
    }

    @Test
    void framingFollowsTheSseRules() throws IOException {
        // comments, "data:" without a space, CRLF line ends, a data field split over two lines, and a [DONE]
        // that the end of the body cuts off before its blank line
        String body = ": keep-alive\r\n\r\n"
                + "data:{\"choices\":[{\"delta\":\r\n"
                + "data: {\"content\":\"Hi\"}}]}\r\n\r\n"
                + "data: [DONE]";
        FirstText listener = firstText();
        StreamEnd end = ChunkStreamReader.read(body(body), listener);
        assertThat(end.done()).isTrue();
        assertThat(listener.first).isEqualTo(1);
        assertThat(listener.text).hasToString("Hi");
    }

    @Test
    void anEmptyBodyFails() throws IOException {
        FirstText listener = firstText();
        StreamEnd end = ChunkStreamReader.read(body(""), listener);
        assertThat(end.done()).isFalse();
        assertThat(end.how()).isEqualTo(StreamEnd.How.CUT_OFF);
        assertThat(end.chunks()).isZero();
        assertThat(listener.first).isZero();
    }

    @Test
    void textThatMentionsErrorIsContentNotAnError() throws IOException {
        FirstText listener = firstText();
        StreamEnd end = ChunkStreamReader.read(body(events(contentChunk("an \\\"error\\\" here"),
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"error\"}]}", "[DONE]")), listener);
        assertThat(end.done()).isTrue();
        assertThat(listener.text).hasToString("an \"error\" here");
    }

    @Test
    void aListenerThatStopsEndsTheReadAndLeavesTheRestUnread() throws IOException {
        InputStream in = body(events(contentChunk("a"), contentChunk("b"), "[DONE]"));
        StreamEnd end = ChunkStreamReader.read(in, chunk -> false);
        assertThat(end.how()).isEqualTo(StreamEnd.How.STOPPED);
        assertThat(end.chunks()).isEqualTo(1);
        assertThat(end.describe()).contains("stopped after event 1");
    }

    @Test
    void aListenersOwnFailureIsNotTakenForAMalformedChunk() {
        WireFormatException own = WireFormatException.malformed("x", "the listener's own");
        assertThatThrownBy(() -> ChunkStreamReader.read(body(events(contentChunk("a"), "[DONE]")), chunk -> {
            throw own;
        })).isSameAs(own);
    }
}
