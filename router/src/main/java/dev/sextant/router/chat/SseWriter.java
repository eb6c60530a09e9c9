package dev.sextant.router.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sextant.router.http.ApiErrors;
import dev.sextant.router.http.Http;
import io.vertx.core.http.HttpServerResponse;

/** Writes OpenAI-style server-sent events ({@code data: {...}}) and the closing {@code data: [DONE]}. */
public final class SseWriter {

    private final HttpServerResponse response;
    private boolean started;

    public SseWriter(HttpServerResponse response) {
        this.response = response;
    }

    public boolean started() {
        return started;
    }

    public void event(Object body) {
        try {
            write("data: " + Http.JSON.writeValueAsString(body) + "\n\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Ends a stream that failed: before the first event the error is rethrown (the caller answers with an HTTP error
     * status); after it, the error goes out as a last event in OpenAI's error shape, then {@code [DONE]}.
     */
    public void fail(RuntimeException e) {
        if (!started) {
            throw e;
        }
        event(ApiErrors.body(e));
        done();
    }

    public void done() {
        write("data: [DONE]\n\n");
        if (!response.ended() && !response.closed()) {
            response.end();
        }
    }

    private void write(String data) {
        if (!started) {
            started = true;
            response.setStatusCode(200)
                    .setChunked(true)
                    .putHeader("content-type", "text/event-stream; charset=utf-8")
                    .putHeader("cache-control", "no-cache")
                    .putHeader("x-accel-buffering", "no");
        }
        if (!response.closed()) {
            response.write(data);
        }
    }
}
