package dev.sextant.router.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.jboss.logging.MDC;

/** JSON in and out of Vert.x routes, the request id, and OpenAI-style error bodies. */
public final class Http {

    public static final String REQUEST_ID_HEADER = "x-request-id";
    public static final ObjectMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Http() {
    }

    /** Reads the request id the client sent (or makes one), echoes it back and puts it in the log context. */
    public static String beginRequest(RoutingContext rc) {
        String id = rc.request().getHeader(REQUEST_ID_HEADER);
        if (id == null || id.isBlank() || id.length() > 128) {
            id = UUID.randomUUID().toString();
        }
        rc.response().putHeader(REQUEST_ID_HEADER, id);
        MDC.put("requestId", id);
        return id;
    }

    public static void endRequest() {
        MDC.remove("requestId");
    }

    /** The body of a route handler; anything it throws becomes an OpenAI error response. */
    @FunctionalInterface
    public interface Handler {
        void handle();
    }

    /** Runs a route handler with the request id in the log context and every failure mapped to an error body. */
    public static void serve(RoutingContext rc, Handler handler) {
        beginRequest(rc);
        try {
            handler.handle();
        } catch (RuntimeException e) {
            ApiErrors.send(rc, e);
        } finally {
            endRequest();
        }
    }

    /** The body as a JSON object, or a 400 naming what is wrong with it. */
    public static ObjectNode jsonBody(RoutingContext rc) {
        String body = rc.body() == null ? null : rc.body().asString();
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

    public static void sendJson(RoutingContext rc, int status, Object body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(json);
    }

    /** OpenAI's {@code usage} object. */
    public static ObjectNode usage(int promptTokens, int completionTokens) {
        return JSON.createObjectNode()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
    }

    public static ApiException notFound(RoutingContext rc) {
        return new ApiException(404, "invalid_request_error", null, "not_found",
                "no route for " + rc.request().method() + " " + rc.request().path());
    }

    public static ObjectNode errorBody(String message, String type, String param, String code) {
        ObjectNode error = JSON.createObjectNode();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        ObjectNode root = JSON.createObjectNode();
        root.set("error", error);
        return root;
    }

    public static void sendError(RoutingContext rc, ApiException e) {
        if (rc.response().headWritten()) {
            return;
        }
        sendJson(rc, e.status(), errorBody(e.getMessage(), e.type(), e.param(), e.code()));
    }
}
