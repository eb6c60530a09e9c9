package dev.sextant.openai.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSE framing on fixed bodies. */
class SseEventReaderTest {

    private static List<SseEvent> events(String body) throws IOException {
        SseEventReader reader = new SseEventReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        List<SseEvent> out = new ArrayList<>();
        SseEvent e;
        while ((e = reader.next()) != null) {
            out.add(e);
        }
        assertThat(reader.next()).as("stays at the end").isNull();
        return out;
    }

    private static SseEvent data(String data) {
        return new SseEvent("message", data);
    }

    @Test
    void eventsEndAtBlankLinesAndTheirDataLinesJoinWithNewlines() throws IOException {
        assertThat(events("data: one\n\ndata: two\ndata: lines\n\n"))
                .containsExactly(data("one"), data("two\nlines"));
    }

    @Test
    void commentsAndBlankLinesAloneMakeNoEvent() throws IOException {
        assertThat(events(": keep-alive\n\n\n\n: another\ndata: x\n\n:\n\n")).containsExactly(data("x"));
        assertThat(events("")).isEmpty();
        assertThat(events("\n\n: only a comment")).isEmpty();
    }

    @Test
    void crlfAndCrLineEndsWorkLikeLf() throws IOException {
        assertThat(events("data: a\r\n\r\ndata: b\r\rdata: c\r\ndata: d\n\n"))
                .containsExactly(data("a"), data("b"), data("c\nd"));
    }

    @Test
    void oneSpaceAfterTheColonIsDroppedAndNoMore() throws IOException {
        assertThat(events("data:tight\n\ndata:  two spaces\n\ndata\n\ndata:\n\n"))
                .containsExactly(data("tight"), data(" two spaces"), data(""), data(""));
    }

    @Test
    void anEventCutOffByTheEndOfTheBodyIsStillDelivered() throws IOException {
        assertThat(events("data: first\n\ndata: [DONE]")).containsExactly(data("first"), data("[DONE]"));
        assertThat(events("data: first\n\ndata: [DONE]\n")).containsExactly(data("first"), data("[DONE]"));
    }

    @Test
    void theEventTypeIsKeptAndResetAfterEachEvent() throws IOException {
        List<SseEvent> events = events("event: error\ndata: {\"message\":\"boom\"}\n\ndata: after\n\nevent: error\n\n");
        assertThat(events).containsExactly(new SseEvent("error", "{\"message\":\"boom\"}"), data("after"),
                new SseEvent("error", ""));
        assertThat(events.get(0).isError()).isTrue();
        assertThat(events.get(1).isError()).isFalse();
    }

    @Test
    void idRetryAndUnknownFieldsAreIgnoredAndALeadingByteOrderMarkSkipped() throws IOException {
        assertThat(events("\uFEFFdata: a\nid: 7\nretry: 100\nfoo: bar\n\nid: 8\n\n"))
                .containsExactly(data("a"));
    }

    @Test
    void multiByteTextSurvivesABodyThatArrivesOneByteAtATime() throws IOException {
        byte[] body = "data: {\"content\":\"Grüße, 世界 🚀\"}\r\n\r\ndata: [DONE]\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < body.length ? body[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
        SseEventReader reader = new SseEventReader(trickle);
        assertThat(reader.next()).isEqualTo(data("{\"content\":\"Grüße, 世界 🚀\"}"));
        assertThat(reader.next()).isEqualTo(data("[DONE]"));
        assertThat(reader.next()).isNull();
    }
}
