package dev.sextant.openai.sse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Splits a {@code text/event-stream} body into events, one {@link #next()} at a time, by the SSE framing: one
 * field per line ({@code name: value}, one space after the colon dropped), lines ending in LF, CRLF or CR, an event
 * ends at a blank line, several {@code data} lines join with a newline, lines starting with {@code :} are comments,
 * a leading byte order mark is skipped; {@code id} and {@code retry} are ignored (no client here reconnects).
 *
 * <p>Two leniencies against the standard, both for servers seen in practice: an event that the end of the body cuts
 * off before its blank line is still delivered (a server that omits the blank line after {@code data: [DONE]} is
 * not failed for it), and an {@code event: error} without data is delivered too (with empty data).
 *
 * <p>Not thread-safe; reads from the calling thread only, blocking until a whole event or the end has arrived.
 */
public final class SseEventReader {

    private final BufferedReader lines;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type = "";
    private boolean firstLine = true;
    private boolean ended;

    /** Reads {@code body} as UTF-8, as the SSE standard requires. */
    public SseEventReader(InputStream body) {
        this(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    public SseEventReader(Reader body) {
        this.lines = body instanceof BufferedReader buffered ? buffered : new BufferedReader(body);
    }

    /** The next event; null once the body has ended. */
    public SseEvent next() throws IOException {
        if (ended) {
            return null;
        }
        String line;
        while ((line = lines.readLine()) != null) {
            if (firstLine) {
                firstLine = false;
                if (line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
            }
            if (line.isEmpty()) {
                SseEvent event = dispatch();
                if (event != null) {
                    return event;
                }
            } else if (line.charAt(0) != ':') {
                field(line);
            }
        }
        ended = true;
        return dispatch();
    }

    private void field(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (name) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> type = value;
            default -> {
                // id, retry and unknown fields: nothing a reader of one response needs
            }
        }
    }

    /** The event gathered since the last blank line; null when there was none (blank lines, comments only). */
    private SseEvent dispatch() {
        SseEvent event = null;
        if (hasData || !type.isEmpty()) {
            event = new SseEvent(type.isEmpty() ? SseEvent.DEFAULT_TYPE : type, data.toString());
        }
        data.setLength(0);
        hasData = false;
        type = "";
        return event;
    }
}
