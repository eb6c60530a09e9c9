package dev.sextant.openai.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.openai.WireJson;
import dev.sextant.openai.error.OpenAiError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writer's bytes, exactly, and that the reader reads them back. */
class SseEventWriterTest {

    record Delta(String content) {
    }

    /** Counts flushes: every event must leave at once. */
    static final class Recording extends ByteArrayOutputStream {
        int flushes;

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void eventsAndDoneAreWrittenByteForByteAndFlushedEach() throws IOException {
        Recording out = new Recording();
        SseEventWriter sse = new SseEventWriter(out);
        ObjectNode chunk = WireJson.MAPPER.createObjectNode().put("id", "c1");
        chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", "Grüße");
        sse.event(chunk);
        sse.event(new Delta("x"));
        sse.event(Map.of("n", 1));
        sse.done();

        assertThat(out.toByteArray()).isEqualTo(("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"Grüße\"}}]}\n\n"
                + "data: {\"content\":\"x\"}\n\n"
                + "data: {\"n\":1}\n\n"
                + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        assertThat(out.flushes).isEqualTo(4);
        assertThat(sse.events()).isEqualTo(3);
    }

    @Test
    void anErrorGoesOutInOpenAisShapeBeforeDone() throws IOException {
        Recording out = new Recording();
        SseEventWriter sse = new SseEventWriter(out);
        sse.error(OpenAiError.serverError("inference_unavailable", "replica gone"));
        sse.done();
        assertThat(out.text()).isEqualTo("data: {\"error\":{\"message\":\"replica gone\",\"type\":\"server_error\","
                + "\"param\":null,\"code\":\"inference_unavailable\"}}\n\ndata: [DONE]\n\n");
    }

    @Test
    void theStaticFormsGiveTheSameText() {
        assertThat(SseEventWriter.formatJson(Map.of("a", "b"))).isEqualTo("data: {\"a\":\"b\"}\n\n");
        assertThat(SseEventWriter.format("{\"a\":1}")).isEqualTo("data: {\"a\":1}\n\n");
        assertThat(SseEventWriter.DONE).isEqualTo("data: [DONE]\n\n");
        // a line break inside the data would end the field; each line becomes its own data line
        assertThat(SseEventWriter.format("one\ntwo\r\nthree")).isEqualTo("data: one\ndata: two\ndata: three\n\n");
    }

    @Test
    void commentsAreOneLineAndNotCounted() throws IOException {
        Recording out = new Recording();
        SseEventWriter sse = new SseEventWriter(out);
        sse.comment("keep-alive");
        assertThat(out.text()).isEqualTo(": keep-alive\n\n");
        assertThat(sse.events()).isZero();
        assertThatThrownBy(() -> sse.comment("two\nlines")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one line");
    }

    @Test
    void aStringIsRefusedAsAnObjectToSerialize() {
        SseEventWriter sse = new SseEventWriter(OutputStream.nullOutputStream());
        assertThatThrownBy(() -> sse.event("{\"a\":1}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data(String)");
    }

    @Test
    void whatTheWriterWritesTheReaderReads() throws IOException {
        Recording out = new Recording();
        SseEventWriter sse = new SseEventWriter(out);
        sse.comment("start");
        sse.data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"line\\nbreak\"}}]}");
        sse.data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}");
        sse.done();
        List<String> texts = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        StreamEnd end = ChunkStreamReader.read(new ByteArrayInputStream(out.toByteArray()), chunk -> {
            texts.add(chunk.completion().text());
            reasons.add(chunk.completion().finishReason());
            return true;
        });
        assertThat(end.done()).isTrue();
        assertThat(texts).containsExactly("line\nbreak", "");
        assertThat(reasons).containsExactly(null, "length");
    }
}
