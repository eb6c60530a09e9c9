package dev.sextant.openai.sse;

import java.util.Objects;

/**
 * One server-sent event.
 *
 * @param type its {@code event:} field; {@code message} when it had none, as the SSE standard says
 * @param data its {@code data:} lines joined with newlines
 */
public record SseEvent(String type, String data) {

    public static final String DEFAULT_TYPE = "message";

    public SseEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** An {@code event: error}: some servers mark a failed stream so rather than with an error body. */
    public boolean isError() {
        return type.equals("error");
    }
}
