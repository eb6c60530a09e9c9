package dev.sextant.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** The one Jackson mapper of the wire format, and the JSON reads every part of it shares. */
public final class WireJson {

    /** Trailing tokens fail: {@code {"a":1} x} is not a body this format writes. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private WireJson() {
    }

    /** Parses one JSON document, or names why it is not one. */
    public static JsonNode parse(byte[] json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw WireFormatException.malformed(null, what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw WireFormatException.malformed(null, what + " is not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory array failed", e);
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** What a node is, for messages: "a string", "an array", "null". */
    public static String kind(JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    /** A textual field's value; null when absent or JSON null; a {@link WireFormatException} when not a string. */
    public static String optionalString(JsonNode object, String field) {
        JsonNode n = object.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw WireFormatException.malformed(field, "'" + field + "' must be a string, got " + kind(n));
        }
        return n.textValue();
    }
}
