package dev.sextant.openai.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.openai.WireJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * OpenAI's error body, {@code {"error": {"message", "type", "param", "code"}}}: what a server answers with an
 * error status, and the last event of a stream that failed after it started.
 *
 * @param message for people; never null
 * @param type    the error class ({@link #INVALID_REQUEST}, {@link #RATE_LIMIT}, {@link #SERVER_ERROR}); may be null
 * @param param   the request field at fault; may be null
 * @param code    a machine-readable reason ({@code overloaded}, {@code not_found}); may be null
 */
public record OpenAiError(String message, String type, String param, String code) {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String AUTHENTICATION = "authentication_error";
    public static final String PERMISSION = "permission_error";
    public static final String RATE_LIMIT = "rate_limit_error";
    public static final String SERVER_ERROR = "server_error";

    /** Longest stretch of a non-JSON body that {@link #describe} quotes. */
    static final int QUOTED_CHARS = 200;

    public OpenAiError {
        Objects.requireNonNull(message, "message");
    }

    public static OpenAiError invalidRequest(String param, String message) {
        return new OpenAiError(message, INVALID_REQUEST, param, null);
    }

    public static OpenAiError serverError(String code, String message) {
        return new OpenAiError(message, SERVER_ERROR, null, code);
    }

    /** The body, fields in OpenAI's order, absent ones as JSON null (OpenAI's clients read all four). */
    public ObjectNode toJsonNode() {
        ObjectNode root = WireJson.MAPPER.createObjectNode();
        root.putObject("error")
                .put("message", message)
                .put("type", type)
                .put("param", param)
                .put("code", code);
        return root;
    }

    public String toJson() {
        return toJsonNode().toString();
    }

    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads an error from a parsed body or event: the {@code error} object (or an {@code error} string, as some
     * servers send); else, for the data of an {@code event: error}, an object that is itself the error (has a
     * {@code message}). Empty when the node is neither.
     */
    public static Optional<OpenAiError> from(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        JsonNode error = node.get("error");
        if (error != null && error.isTextual()) {
            return Optional.of(new OpenAiError(error.textValue(), null, null, null));
        }
        if (error != null && error.isObject()) {
            return Optional.of(fields(error));
        }
        JsonNode message = node.get("message");
        if (message != null && message.isTextual()) {
            return Optional.of(fields(node));
        }
        return Optional.empty();
    }

    /** Parses a body; empty when it is not JSON or not an error body. */
    public static Optional<OpenAiError> parse(byte[] body) {
        try {
            return from(WireJson.MAPPER.readTree(body));
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    public static Optional<OpenAiError> parse(String body) {
        return parse(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The message to show for an error response: the error body's {@code message}, or, as proxies and load
     * balancers answer in HTML or plain text, the start of the body with its whitespace folded.
     */
    public static String describe(byte[] body) {
        Optional<OpenAiError> error = parse(body);
        if (error.isPresent() && !error.get().message().isBlank()) {
            return error.get().message();
        }
        String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "...";
    }

    private static OpenAiError fields(JsonNode error) {
        JsonNode message = error.get("message");
        String text = message == null || message.isNull() ? "" : message.isTextual() ? message.textValue()
                : message.toString();
        return new OpenAiError(text, textOrNull(error.get("type")), textOrNull(error.get("param")),
                textOrNull(error.get("code")));
    }

    /** {@code code} is a number on some servers (HTTP status); it is kept as text. */
    private static String textOrNull(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }
}
