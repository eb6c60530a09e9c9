package dev.sextant.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks JSON values against the schemas of an OpenAPI 3.1 document, strictly: every field of an object must be
 * declared by its schema (following {@code $ref} and {@code allOf}), and the JSON Schema keywords these schemas use
 * (type, enum, const, required, items, oneOf, anyOf, bounds, lengths, pattern) must hold. A small checker rather
 * than a library: the project has no JSON Schema validator, and these are the keywords that matter.
 */
final class SchemaChecker {

    private static final String COMPONENTS = "#/components/schemas/";

    private final JsonNode schemas;

    SchemaChecker(JsonNode document) {
        this.schemas = document.path("components").path("schemas");
    }

    /** What is wrong with the value, one line each naming where ({@code $.choices[0].message}); empty if nothing. */
    List<String> problems(JsonNode value, JsonNode schema) {
        List<String> out = new ArrayList<>();
        check(value, schema, "$", out);
        return out;
    }

    /** The schema a {@code $ref} names; an error if it names nothing. */
    JsonNode resolve(String ref) {
        if (!ref.startsWith(COMPONENTS)) {
            throw new IllegalArgumentException("not a component schema reference: " + ref);
        }
        JsonNode target = schemas.get(ref.substring(COMPONENTS.length()));
        if (target == null) {
            throw new IllegalArgumentException("no schema " + ref);
        }
        return target;
    }

    /** The properties an object of this schema may have, with their schemas, through {@code $ref} and {@code allOf}. */
    Map<String, List<JsonNode>> properties(JsonNode schema) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (JsonNode part : conjunction(schema)) {
            part.path("properties").properties().forEach(p ->
                    out.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue()));
        }
        return out;
    }

    /** The schema and every schema it also requires ({@code $ref} targets, {@code allOf} members), recursively. */
    private List<JsonNode> conjunction(JsonNode schema) {
        List<JsonNode> out = new ArrayList<>();
        collect(schema, out);
        return out;
    }

    private void collect(JsonNode schema, List<JsonNode> out) {
        out.add(schema);
        if (schema.has("$ref")) {
            collect(resolve(schema.get("$ref").asText()), out);
        }
        for (JsonNode member : schema.path("allOf")) {
            collect(member, out);
        }
    }

    private void check(JsonNode value, JsonNode schema, String at, List<String> out) {
        List<JsonNode> parts = conjunction(schema);
        boolean alternatives = false;
        for (JsonNode part : parts) {
            keywords(value, part, at, out);
            alternatives |= part.has("oneOf") || part.has("anyOf");
        }
        if (value.isObject()) {
            Map<String, List<JsonNode>> declared = properties(schema);
            Set<String> required = new LinkedHashSet<>();
            parts.forEach(p -> p.path("required").forEach(r -> required.add(r.asText())));
            for (String name : required) {
                if (!value.has(name)) {
                    out.add(at + ": required field '" + name + "' is missing");
                }
            }
            for (var field : value.properties()) {
                List<JsonNode> fieldSchemas = declared.get(field.getKey());
                if (fieldSchemas == null) {
                    if (!alternatives) {
                        out.add(at + ": field '" + field.getKey() + "' is not declared by the schema (declared: "
                                + declared.keySet() + ")");
                    }
                    continue;
                }
                for (JsonNode fieldSchema : fieldSchemas) {
                    check(field.getValue(), fieldSchema, at + "." + field.getKey(), out);
                }
            }
        }
    }

    /** The keywords of one schema that are not about object properties. */
    private void keywords(JsonNode value, JsonNode schema, String at, List<String> out) {
        JsonNode type = schema.get("type");
        if (type != null) {
            List<String> types = new ArrayList<>();
            if (type.isArray()) {
                type.forEach(t -> types.add(t.asText()));
            } else {
                types.add(type.asText());
            }
            if (types.stream().noneMatch(t -> isOfType(value, t))) {
                out.add(at + ": " + kind(value) + " where the schema says " + types);
                return;
            }
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= same(allowed, value);
            }
            if (!listed) {
                out.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (schema.has("const") && !same(schema.get("const"), value)) {
            out.add(at + ": " + value + " is not the constant " + schema.get("const"));
        }
        if (value.isNumber()) {
            double v = value.doubleValue();
            if (schema.has("minimum") && v < schema.get("minimum").doubleValue()) {
                out.add(at + ": " + v + " is below the minimum " + schema.get("minimum"));
            }
            if (schema.has("maximum") && v > schema.get("maximum").doubleValue()) {
                out.add(at + ": " + v + " is above the maximum " + schema.get("maximum"));
            }
            if (schema.path("exclusiveMinimum").isNumber() && v <= schema.get("exclusiveMinimum").doubleValue()) {
                out.add(at + ": " + v + " is not above " + schema.get("exclusiveMinimum"));
            }
        }
        if (value.isTextual()) {
            int length = value.textValue().codePointCount(0, value.textValue().length());
            if (schema.has("minLength") && length < schema.get("minLength").intValue()) {
                out.add(at + ": a string shorter than " + schema.get("minLength"));
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").intValue()) {
                out.add(at + ": a string longer than " + schema.get("maxLength"));
            }
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.textValue())
                    .find()) {
                out.add(at + ": '" + value.textValue() + "' does not match " + schema.get("pattern"));
            }
        }
        if (value.isArray()) {
            if (schema.has("minItems") && value.size() < schema.get("minItems").intValue()) {
                out.add(at + ": fewer than " + schema.get("minItems") + " items");
            }
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").intValue()) {
                out.add(at + ": more than " + schema.get("maxItems") + " items");
            }
            if (schema.has("items")) {
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), schema.get("items"), at + "[" + i + "]", out);
                }
            }
        }
        if (schema.has("oneOf")) {
            int matching = matching(value, schema.get("oneOf"), at);
            if (matching != 1) {
                out.add(at + ": " + kind(value) + " matches " + matching + " of the oneOf alternatives, not one");
            }
        }
        if (schema.has("anyOf") && matching(value, schema.get("anyOf"), at) == 0) {
            out.add(at + ": " + kind(value) + " matches none of the anyOf alternatives");
        }
    }

    private int matching(JsonNode value, JsonNode alternatives, String at) {
        int matching = 0;
        for (JsonNode alternative : alternatives) {
            List<String> problems = new ArrayList<>();
            check(value, alternative, at, problems);
            matching += problems.isEmpty() ? 1 : 0;
        }
        return matching;
    }

    private static boolean isOfType(JsonNode value, String type) {
        return switch (type) {
            case "null" -> value.isNull();
            case "boolean" -> value.isBoolean();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || value.isNumber() && value.doubleValue() % 1 == 0;
            case "number" -> value.isNumber();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> throw new IllegalArgumentException("unknown JSON Schema type " + type);
        };
    }

    /** JSON equality, numbers by value (the document's {@code 0} and a response's {@code 0} may differ in class). */
    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String kind(JsonNode value) {
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(value.toString());
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
