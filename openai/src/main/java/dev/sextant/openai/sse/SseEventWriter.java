package dev.sextant.openai.sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.openai.WireJson;
import dev.sextant.openai.error.OpenAiError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes an OpenAI event stream onto an {@link OutputStream} (a JAX-RS {@code StreamingOutput}, a servlet or
 * socket stream): {@code data: <json>\n\n} per event, {@code data: [DONE]\n\n} last. Every event is flushed at
 * once, since a client waits on each token. The static methods format the same bytes as strings, for servers
 * that write text themselves.
 *
 * <p>A stream that fails after its first event ends, by sextant's and vLLM's convention, with
 * {@link #error(OpenAiError)} then {@link #done()}; before the first event a server answers with an error status
 * instead. Not thread-safe: one writer per response.
 */
public final class SseEventWriter {

    public static final String DONE = "data: [DONE]\n\n";

    private final OutputStream out;
    private final ObjectMapper mapper;
    private int events;

    public SseEventWriter(OutputStream out) {
        this(out, WireJson.MAPPER);
    }

    /** @param mapper writes the event bodies (a server's own, with its naming and modules) */
    public SseEventWriter(OutputStream out, ObjectMapper mapper) {
        this.out = Objects.requireNonNull(out, "out");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** One event of {@code data} as sent: each of its lines becomes a {@code data:} line. */
    public static String format(String data) {
        Objects.requireNonNull(data, "data");
        StringBuilder sb = new StringBuilder(data.length() + 8);
        for (String line : data.split("\r\n|\r|\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        return sb.append('\n').toString();
    }

    /** One event whose data is {@code body} as JSON (one line: the default mapper does not indent). */
    public static String formatJson(Object body) {
        return format(json(WireJson.MAPPER, body));
    }

    /** Writes {@code body} (a {@code JsonNode}, record, map) as one JSON event. */
    public void event(Object body) throws IOException {
        write(format(json(mapper, body)));
    }

    /** Writes an event of JSON text that the caller serialized itself. */
    public void data(String json) throws IOException {
        write(format(json));
    }

    /** Writes the error as the stream's last event in OpenAI's error shape; {@link #done()} should follow. */
    public void error(OpenAiError error) throws IOException {
        write(format(error.toJson()));
    }

    /** A comment line, {@code : text}: keeps idle proxies from closing a stream that is slow to start. */
    public void comment(String text) throws IOException {
        if (text.contains("\n") || text.contains("\r")) {
            throw new IllegalArgumentException("an SSE comment must be one line, got " + text.length()
                    + " characters with a line break");
        }
        write(": " + text + "\n\n");
    }

    /** Writes {@code data: [DONE]}; the caller then ends the response. */
    public void done() throws IOException {
        write(DONE);
    }

    /** Events written so far, comments and {@code [DONE]} not counted; 0 means no byte of the stream went out. */
    public int events() {
        return events;
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (!text.startsWith(":") && !text.equals(DONE)) {
            events++;
        }
    }

    private static String json(ObjectMapper mapper, Object body) {
        Objects.requireNonNull(body, "body");
        if (body instanceof CharSequence) {
            // A String would go out as a JSON string literal, almost never what was meant.
            throw new IllegalArgumentException("event(Object) writes its argument as JSON; pass JSON text to "
                    + "data(String)");
        }
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
