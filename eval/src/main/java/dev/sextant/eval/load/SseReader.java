package dev.sextant.eval.load;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * Reads an OpenAI-style event stream until {@code data: [DONE]}, an error, or its end, noting when the first
 * token arrived. Follows the SSE framing (fields per line, an event ends at a blank line, several {@code data}
 * lines join with a newline, {@code :} comments), but also takes a last event that the end of the body cuts off
 * before its blank line, so a server that omits the final blank line after {@code [DONE]} is not failed for it.
 */
final class SseReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param done            {@code [DONE]} arrived before any failure
     * @param failure         why the stream failed, {@code null} if it did not
     * @param firstTokenNanos clock reading at the first token, -1 if none
     * @param firstTokenEvent 1-based number of the data event that carried it, 0 if none
     * @param endNanos        clock reading at {@code [DONE]}, the failure, or the end of the body
     */
    record Result(boolean done, String failure, long firstTokenNanos, int firstTokenEvent, long endNanos) {
        boolean ok() {
            return done && failure == null;
        }
    }

    private final ResponseKind kind;
    private final LongSupplier clock;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType = "";
    private int events;
    private long firstTokenNanos = -1;
    private int firstTokenEvent;

    private SseReader(ResponseKind kind, LongSupplier clock) {
        this.kind = kind;
        this.clock = clock;
    }

    /** Reads up to the deciding event; the caller drains or closes the rest. */
    static Result read(InputStream body, ResponseKind kind, LongSupplier clock) throws IOException {
        return new SseReader(kind, clock).read(body);
    }

    private Result read(InputStream body) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                Result decided = dispatch();
                if (decided != null) {
                    return decided;
                }
            } else if (!line.startsWith(":")) {
                field(line);
            }
        }
        Result decided = dispatch();
        return decided != null ? decided : result(false, "the stream ended without data: [DONE]");
    }

    private void field(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (name.equals("data")) {
            if (hasData) {
                data.append('\n');
            }
            data.append(value);
            hasData = true;
        } else if (name.equals("event")) {
            eventType = value;
        }
    }

    /** Handles the event gathered so far; returns a result once the stream is decided. */
    private Result dispatch() {
        String type = eventType;
        eventType = "";
        if (type.equals("error")) {
            return result(false, "error event: " + data);
        }
        if (!hasData) {
            return null;
        }
        String payload = data.toString();
        data.setLength(0);
        hasData = false;
        if (payload.equals("[DONE]")) {
            return result(true, null);
        }
        events++;
        // Parsing every event would cost the generator CPU it shares with the server; after the first token only
        // events that may carry an error are parsed.
        if (firstTokenNanos >= 0 && !payload.contains("\"error\"")) {
            return null;
        }
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (JacksonException e) {
            return result(false, "malformed event " + events + ": " + e.getOriginalMessage());
        }
        if (event.has("error")) {
            return result(false, "error event: " + event.get("error"));
        }
        if (firstTokenNanos < 0 && (kind == ResponseKind.SSE_FIRST_EVENT || carriesContent(event))) {
            firstTokenNanos = clock.getAsLong();
            firstTokenEvent = events;
        }
        return null;
    }

    private static boolean carriesContent(JsonNode event) {
        // textual check: "content": null in a role-only chunk reads as "null" through asText()
        JsonNode content = event.path("choices").path(0).path("delta").path("content");
        return content.isTextual() && !content.textValue().isEmpty();
    }

    private Result result(boolean done, String failure) {
        return new Result(done, failure, firstTokenNanos, firstTokenEvent, clock.getAsLong());
    }
}
