package dev.sextant.router.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.router.admission.Admission;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** JSON request bodies and responses of the API resources, in OpenAI's shapes. */
public final class Http {

    public static final String REQUEST_ID_HEADER = "x-request-id";
    /** Strict about types (a string is not a number) and about trailing garbage: requests are parsed with it. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Http() {
    }

    /** The body as a JSON object, or a 400 naming what is wrong with it. */
    public static ObjectNode jsonBody(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.invalid(null, "request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(null, "request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.invalid(null, "request body must be a JSON object");
        }
        return object;
    }

    /** A JSON response with the given headers (rate-limit headers of an admitted request, say). */
    public static Response json(int status, Object body, Map<String, String> headers) {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(write(body));
        headers.forEach(response::header);
        return response.build();
    }

    public static Response json(int status, Object body) {
        return json(status, body, Map.of());
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** OpenAI's {@code usage} object. */
    public static ObjectNode usage(int promptTokens, int completionTokens) {
        return JSON.createObjectNode()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
    }

    /** Who sent the request: its Authorization header and whether it came from this machine. */
    public static Admission.Origin origin(HttpServerRequest request) {
        return new Admission.Origin(request.getHeader("authorization"), fromLoopback(request));
    }

    private static boolean fromLoopback(HttpServerRequest request) {
        var remote = request.remoteAddress();
        if (remote == null || remote.host() == null) {
            return false;
        }
        String host = remote.host();
        return host.equals("127.0.0.1") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")
                || host.startsWith("127.");
    }
}
