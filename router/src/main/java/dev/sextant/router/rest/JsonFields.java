package dev.sextant.router.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.openai.WireJson;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of optional request fields. A field of the wrong type is a 400 naming the field; an absent or null
 * field gives the default. Unknown fields are ignored, as OpenAI clients send many.
 */
public final class JsonFields {

    private JsonFields() {
    }

    public static String string(ObjectNode body, String field, String fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw ApiException.invalid(field, "'" + field + "' must be a string, got " + kind(n));
        }
        return n.textValue();
    }

    public static boolean bool(ObjectNode body, String field, boolean fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw ApiException.invalid(field, "'" + field + "' must be a boolean, got " + kind(n));
        }
        return n.booleanValue();
    }

    public static int integer(ObjectNode body, String field, int fallback, int min, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiException.invalid(field, "'" + field + "' must be an integer, got " + kind(n));
        }
        int v = n.intValue();
        if (v < min || v > max) {
            throw ApiException.invalid(field, "'" + field + "' must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    public static double number(ObjectNode body, String field, double fallback, double min, double max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw ApiException.invalid(field, "'" + field + "' must be a number, got " + kind(n));
        }
        double v = n.doubleValue();
        if (v < min || v > max) {
            throw ApiException.invalid(field, "'" + field + "' must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    /** OpenAI's {@code stop}: a string or an array of up to 4 strings. */
    public static List<String> stringOrList(ObjectNode body, String field, int maxItems) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.textValue());
        }
        if (!n.isArray()) {
            throw ApiException.invalid(field, "'" + field + "' must be a string or an array of strings, got "
                    + kind(n));
        }
        if (n.size() > maxItems) {
            throw ApiException.invalid(field, "'" + field + "' has " + n.size() + " items; at most " + maxItems);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw ApiException.invalid(field, "'" + field + "' items must be strings, got " + kind(item));
            }
            out.add(item.textValue());
        }
        return out;
    }

    /** What a node is, for messages: "a string", "an array", "null" (the wire format's one wording). */
    public static String kind(JsonNode n) {
        return WireJson.kind(n);
    }
}
