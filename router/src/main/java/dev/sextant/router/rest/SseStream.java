package dev.sextant.router.rest;

import dev.sextant.openai.sse.SseEventWriter;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
        private final SseEventWriter sse;
        private final HttpServerResponse connection;
        private volatile boolean gone;

        Events(OutputStream out, HttpServerResponse connection) {
            this.sse = new SseEventWriter(out, Http.JSON);
            this.connection = connection;
        }

        public void event(Object body) {
            write(() -> sse.event(body));
        }

        public void done() {
            write(sse::done);
        }

        /** The client went away: further events are dropped, and generation for it should stop. */
        public boolean gone() {
            return gone || connection.closed();
        }

        void fail(RuntimeException e) {
            if (sse.events() == 0) {
                throw e;
            }
            if (!gone()) {
                write(() -> sse.error(ApiErrors.error(e)));
                done();
            }
        }

        private interface Write {
            void run() throws IOException;
        }

        private void write(Write write) {
            if (gone) {
                return;
            }
            try {
                write.run();
            } catch (IOException | UncheckedIOException e) {
                gone = true;
            }
        }
    }
}
