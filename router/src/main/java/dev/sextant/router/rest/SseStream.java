package dev.sextant.router.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An OpenAI-style server-sent event stream ({@code data: {...}} events, then {@code data: [DONE]}) as a JAX-RS
 * response. The body runs when the response is written, on the request's worker thread, so each event is written
 * where it is produced. A failure before the first event becomes an ordinary error response (status and JSON body,
 * mapped by {@link ApiErrors}); after it, the error goes out as a last event in OpenAI's error shape, then
 * {@code [DONE]}.
 */
public final class SseStream {

    /** Writes the events of one response. */
    @FunctionalInterface
    public interface Body {
        void write(Events events);
    }

    private SseStream() {
    }

    public static Response response(HttpServerResponse connection, Map<String, String> headers, Body body) {
        StreamingOutput output = out -> {
            Events events = new Events(out, connection);
            try {
                body.write(events);
            } catch (RuntimeException e) {
                events.fail(e);
            }
        };
        Response.ResponseBuilder response = Response.ok(output, "text/event-stream; charset=utf-8")
                .header("cache-control", "no-cache")
                .header("x-accel-buffering", "no");
        headers.forEach(response::header);
        return response.build();
    }

    /** The event writer of one stream; {@link #gone} once the client has disconnected. */
    public static final class Events {
        private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

        private final OutputStream out;
        private final HttpServerResponse connection;
        private boolean started;
        private volatile boolean gone;

        Events(OutputStream out, HttpServerResponse connection) {
            this.out = out;
            this.connection = connection;
        }

        public void event(Object body) {
            try {
                write(("data: " + Http.JSON.writeValueAsString(body) + "\n\n").getBytes(StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        public void done() {
            write(DONE);
        }

        /** The client went away: further events are dropped, and generation for it should stop. */
        public boolean gone() {
            return gone || connection.closed();
        }

        void fail(RuntimeException e) {
            if (!started) {
                throw e;
            }
            if (!gone()) {
                event(ApiErrors.body(e));
                done();
            }
        }

        private void write(byte[] data) {
            if (gone) {
                return;
            }
            started = true;
            try {
                out.write(data);
                out.flush();
            } catch (IOException | UncheckedIOException e) {
                gone = true;
            }
        }
    }
}
