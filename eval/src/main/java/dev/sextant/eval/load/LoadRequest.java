package dev.sextant.eval.load;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request of a load run.
 *
 * @param body     request body as UTF-8 text, {@code null} for none
 * @param response how the answer is read ({@link ResponseKind#SSE} for {@code stream: true} chat completions)
 */
public record LoadRequest(String method, URI uri, Map<String, String> headers, String body, ResponseKind response) {

    public LoadRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(response, "response");
        headers = Map.copyOf(headers);
    }

    public static LoadRequest get(URI uri) {
        return new LoadRequest("GET", uri, Map.of(), null, ResponseKind.PLAIN);
    }

    public static LoadRequest postJson(URI uri, String json) {
        return new LoadRequest("POST", uri, Map.of("content-type", "application/json"), json, ResponseKind.PLAIN);
    }

    /** The same request read as an OpenAI event stream ({@link ResponseKind#SSE}), asking for one. */
    public LoadRequest streaming() {
        return streaming(ResponseKind.SSE);
    }

    public LoadRequest streaming(ResponseKind kind) {
        LoadRequest accepting = kind.streaming() ? withHeader("accept", "text/event-stream") : this;
        return new LoadRequest(method, uri, accepting.headers, body, kind);
    }

    public LoadRequest withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new LoadRequest(method, uri, more, body, response);
    }
}
