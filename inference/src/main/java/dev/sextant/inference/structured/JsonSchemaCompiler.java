package dev.sextant.inference.structured;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.inference.structured.SchemaNode.AnyValue;
import dev.sextant.inference.structured.SchemaNode.ArraySchema;
import dev.sextant.inference.structured.SchemaNode.Literals;
import dev.sextant.inference.structured.SchemaNode.NumberSchema;
import dev.sextant.inference.structured.SchemaNode.ObjectSchema;
import dev.sextant.inference.structured.SchemaNode.Property;
import dev.sextant.inference.structured.SchemaNode.Ref;
import dev.sextant.inference.structured.SchemaNode.StringSchema;
import dev.sextant.inference.structured.SchemaNode.Union;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a JSON Schema (the subset structured outputs use: OpenAI's strict mode, Pydantic's and LangChain4j's
 * schemas) into {@link SchemaNode}s. A keyword that constrains values but that decoding cannot enforce is refused
 * with {@link UnsupportedSchemaException} naming it and where it is, never ignored, so every document decoded under
 * a compiled schema validates against the original. Annotations (title, description, default, examples, ...) are
 * ignored, as validators ignore them.
 */
public final class JsonSchemaCompiler {

    /** How deep a schema-less value ({@code {}}, {@code json_object}) may nest. */
    public static final int ANY_DEPTH = 8;

    /** Keywords that constrain values and are not enforced: refused wherever they appear. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("minimum", "number ranges"),
            Map.entry("maximum", "number ranges"),
            Map.entry("exclusiveMinimum", "number ranges"),
            Map.entry("exclusiveMaximum", "number ranges"),
            Map.entry("multipleOf", "multipleOf"),
            Map.entry("oneOf", "oneOf (anyOf is supported)"),
            Map.entry("not", "not"),
            Map.entry("if", "if/then/else"),
            Map.entry("then", "if/then/else"),
            Map.entry("else", "if/then/else"),
            Map.entry("patternProperties", "patternProperties"),
            Map.entry("propertyNames", "propertyNames"),
            Map.entry("minProperties", "minProperties"),
            Map.entry("maxProperties", "maxProperties"),
            Map.entry("dependentRequired", "dependentRequired"),
            Map.entry("dependentSchemas", "dependentSchemas"),
            Map.entry("dependencies", "dependencies"),
            Map.entry("prefixItems", "prefixItems (tuples)"),
            Map.entry("contains", "contains"),
            Map.entry("minContains", "contains"),
            Map.entry("maxContains", "contains"),
            Map.entry("unevaluatedItems", "unevaluatedItems"),
            Map.entry("unevaluatedProperties", "unevaluatedProperties"),
            Map.entry("$dynamicRef", "$dynamicRef"),
            Map.entry("contentSchema", "contentSchema"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final List<SchemaNode> nodes = new ArrayList<>();
    private final Map<String, Ref> refs = new HashMap<>();

    private JsonSchemaCompiler(JsonNode document) {
        this.document = document;
    }

    /**
     * @throws UnsupportedSchemaException naming the keyword and its location when the schema uses what decoding cannot
     *                                    enforce, refers to what does not exist, or admits no finite document
     */
    public static SchemaNode compile(JsonNode schema) {
        JsonSchemaCompiler compiler = new JsonSchemaCompiler(schema);
        SchemaNode root = compiler.node(schema, "");
        compiler.resolveRefs();
        compiler.computeMinBytes();
        return root;
    }

    /** Any JSON object, for {@code "response_format": {"type": "json_object"}}. */
    public static SchemaNode anyObject() {
        JsonSchemaCompiler compiler = new JsonSchemaCompiler(null);
        SchemaNode root = compiler.any(ANY_DEPTH, true);
        compiler.computeMinBytes();
        return root;
    }

    private SchemaNode node(JsonNode schema, String at) {
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) {
                throw new UnsupportedSchemaException(at, "the schema false admits no value");
            }
            return any(ANY_DEPTH, false);
        }
        if (!schema.isObject()) {
            throw new UnsupportedSchemaException(at, "a schema must be an object or a boolean");
        }
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            String what = REFUSED.get(keyword);
            if (what != null) {
                throw new UnsupportedSchemaException(at, "'" + keyword + "' is not supported (" + what
                        + " are not enforced while decoding)");
            }
        }
        if (schema.has("$ref")) {
            if (schema.size() > 1 && hasConstraintBeside(schema, "$ref")) {
                throw new UnsupportedSchemaException(at, "'$ref' with other constraints beside it is not supported");
            }
            return ref(schema.get("$ref").asText(), at);
        }
        if (schema.has("allOf")) {
            JsonNode all = schema.get("allOf");
            if (!all.isArray() || all.size() != 1 || hasConstraintBeside(schema, "allOf")) {
                throw new UnsupportedSchemaException(at, "'allOf' is supported with one schema only");
            }
            return node(all.get(0), at + "/allOf/0");
        }
        if (schema.has("const")) {
            return add(new Literals(List.of(canonical(schema.get("const")))));
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            if (!values.isArray() || values.isEmpty()) {
                throw new UnsupportedSchemaException(at + "/enum", "'enum' must be a non-empty array");
            }
            List<byte[]> texts = new ArrayList<>();
            values.forEach(v -> texts.add(canonical(v)));
            return add(new Literals(texts));
        }
        if (schema.has("anyOf")) {
            JsonNode any = schema.get("anyOf");
            if (!any.isArray() || any.isEmpty()) {
                throw new UnsupportedSchemaException(at + "/anyOf", "'anyOf' must be a non-empty array");
            }
            if (hasConstraintBeside(schema, "anyOf")) {
                throw new UnsupportedSchemaException(at, "'anyOf' with other constraints beside it is not supported");
            }
            List<SchemaNode> options = new ArrayList<>();
            for (int i = 0; i < any.size(); i++) {
                options.add(node(any.get(i), at + "/anyOf/" + i));
            }
            return add(new Union(options));
        }
        JsonNode type = schema.get("type");
        if (type == null) {
            if (hasConstraintBeside(schema)) {
                throw new UnsupportedSchemaException(at, "constraints without a 'type' are not supported");
            }
            return any(ANY_DEPTH, false);
        }
        if (type.isArray()) {
            List<SchemaNode> options = new ArrayList<>();
            for (JsonNode t : type) {
                options.add(typed(t.asText(), schema, at));
            }
            if (options.isEmpty()) {
                throw new UnsupportedSchemaException(at + "/type", "'type' must name at least one type");
            }
            return options.size() == 1 ? options.getFirst() : add(new Union(options));
        }
        return typed(type.asText(), schema, at);
    }

    private SchemaNode typed(String type, JsonNode schema, String at) {
        return switch (type) {
            case "object" -> object(schema, at);
            case "array" -> array(schema, at);
            case "string" -> add(new StringSchema(count(schema, "minLength", 0, at), count(schema, "maxLength", -1,
                    at), pattern(schema, at)));
            case "integer" -> add(new NumberSchema(true));
            case "number" -> add(new NumberSchema(false));
            case "boolean" -> add(new Literals(List.of(bytes("true"), bytes("false"))));
            case "null" -> add(new Literals(List.of(bytes("null"))));
            default -> throw new UnsupportedSchemaException(at + "/type", "unknown type '" + type + "'");
        };
    }

    /** The string's {@code pattern} or {@code format} compiled, or null for neither. */
    private static StringPattern pattern(JsonNode schema, String at) {
        JsonNode pattern = schema.get("pattern");
        JsonNode format = schema.get("format");
        if (pattern != null && format != null) {
            throw new UnsupportedSchemaException(at, "'pattern' and 'format' together are not supported");
        }
        String regex;
        String where;
        if (pattern != null) {
            if (!pattern.isTextual()) {
                throw new UnsupportedSchemaException(at + "/pattern", "'pattern' must be a string");
            }
            regex = pattern.textValue();
            where = at + "/pattern";
        } else if (format != null) {
            regex = StringFormats.pattern(format.asText());
            where = at + "/format";
            if (regex == null) {
                throw new UnsupportedSchemaException(where, "format '" + format.asText() + "' is not supported "
                        + "(supported: " + String.join(", ", new java.util.TreeSet<>(StringFormats.supported()))
                        + ")");
            }
        } else {
            return null;
        }
        try {
            return StringPattern.compile(regex);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedSchemaException(where, e.getMessage());
        }
    }

    private SchemaNode object(JsonNode schema, String at) {
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && !additional.isBoolean()) {
            throw new UnsupportedSchemaException(at + "/additionalProperties",
                    "'additionalProperties' as a schema (maps) is not supported; use false or true");
        }
        JsonNode properties = schema.path("properties");
        if (properties.isEmpty() && (additional == null || additional.booleanValue())) {
            // No declared shape: any object.
            return any(ANY_DEPTH, true);
        }
        Set<String> required = new HashSet<>();
        for (JsonNode r : schema.path("required")) {
            required.add(r.asText());
        }
        List<Property> props = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : properties.properties()) {
            String name = e.getKey();
            props.add(new Property(name, json(name),
                    node(e.getValue(), at + "/properties/" + name.replace("~", "~0").replace("/", "~1")),
                    required.remove(name)));
        }
        if (!required.isEmpty()) {
            throw new UnsupportedSchemaException(at + "/required", "required " + required
                    + " not declared in 'properties'");
        }
        return add(new ObjectSchema(props));
    }

    private SchemaNode array(JsonNode schema, String at) {
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) {
            throw new UnsupportedSchemaException(at + "/items", "'items' as an array (tuples) is not supported");
        }
        if (schema.path("uniqueItems").asBoolean(false)) {
            throw new UnsupportedSchemaException(at, "'uniqueItems' is not supported");
        }
        int min = count(schema, "minItems", 0, at);
        int max = count(schema, "maxItems", -1, at);
        if (max >= 0 && max < min) {
            throw new UnsupportedSchemaException(at, "maxItems " + max + " is below minItems " + min);
        }
        SchemaNode item = items == null ? any(ANY_DEPTH, false) : node(items, at + "/items");
        return add(new ArraySchema(item, min, max));
    }

    private AnyValue any(int depth, boolean objectOnly) {
        AnyValue top = add(new AnyValue(depth, objectOnly));
        AnyValue level = top;
        for (int d = depth - 1; d >= 0; d--) {
            level.inner = add(new AnyValue(d, false));
            level = level.inner;
        }
        return top;
    }

    private SchemaNode ref(String pointer, String at) {
        if (!pointer.startsWith("#")) {
            throw new UnsupportedSchemaException(at + "/$ref", "only local references (#/...) are supported, got '"
                    + pointer + "'");
        }
        Ref known = refs.get(pointer);
        if (known != null) {
            return known;
        }
        Ref ref = add(new Ref(pointer));
        refs.put(pointer, ref);
        return ref;
    }

    private void resolveRefs() {
        // Compiling a target can meet new references: resolve until none is left.
        Set<String> done = new HashSet<>();
        boolean more = true;
        while (more) {
            more = false;
            for (Ref ref : List.copyOf(refs.values())) {
                if (done.add(ref.pointer)) {
                    JsonNode target = document.at(ref.pointer.substring(1));
                    if (target.isMissingNode()) {
                        throw new UnsupportedSchemaException(ref.pointer, "'$ref' points at nothing");
                    }
                    ref.target = node(target, ref.pointer.substring(1));
                    more = true;
                }
            }
        }
        for (Ref ref : refs.values()) {
            Set<Ref> seen = new HashSet<>();
            SchemaNode t = ref;
            while (t instanceof Ref r) {
                if (!seen.add(r)) {
                    throw new UnsupportedSchemaException(ref.pointer, "'$ref' refers to itself");
                }
                t = r.target;
            }
        }
    }

    private void computeMinBytes() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (SchemaNode n : nodes) {
                int m = (int) Math.min(Integer.MAX_VALUE, minBytes(n));
                if (m < n.minBytes) {
                    n.minBytes = m;
                    changed = true;
                }
            }
        }
        for (SchemaNode n : nodes) {
            if (n.minBytes == Integer.MAX_VALUE) {
                throw new UnsupportedSchemaException("", "the schema admits no finite document (a required "
                        + "property refers back to its own object)");
            }
        }
    }

    private static long minBytes(SchemaNode n) {
        return switch (n) {
            case AnyValue a -> a.objectOnly ? 2 : 1;
            case ObjectSchema o -> 1L + o.minBytesAfter(-1);
            case ArraySchema a -> a.minItems == 0 ? 2 : 2L + (long) a.minItems * a.items.minBytes + a.minItems - 1;
            case StringSchema s -> 2L + Math.max(s.minLength, s.pattern == null ? 0
                    : (long) s.pattern.minChars(s.pattern.start()));
            case NumberSchema x -> 1;
            case Literals l -> l.texts.stream().mapToLong(t -> t.length).min().orElseThrow();
            case Union u -> u.options.stream().mapToLong(o -> o.minBytes).min().orElseThrow();
            case Ref r -> r.target.minBytes;
        };
    }

    private <T extends SchemaNode> T add(T node) {
        nodes.add(node);
        return node;
    }

    /** Whether {@code schema} holds a keyword besides {@code allowed} and the annotations. */
    private static boolean hasConstraintBeside(JsonNode schema, String... allowed) {
        List<String> also = List.of(allowed);
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!ANNOTATIONS.contains(keyword) && !also.contains(keyword)) {
                return true;
            }
        }
        return false;
    }

    /** Keywords that describe a schema or hold definitions, and constrain no value. */
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples", "$schema",
            "$id", "$comment", "$defs", "definitions", "deprecated", "readOnly", "writeOnly", "$anchor",
            "discriminator", "nullable");

    private static int count(JsonNode schema, String keyword, int absent, String at) {
        JsonNode v = schema.get(keyword);
        if (v == null) {
            return absent;
        }
        if (!v.canConvertToInt() || v.asInt() < 0 || !v.isIntegralNumber()) {
            throw new UnsupportedSchemaException(at + "/" + keyword, "'" + keyword + "' must be a non-negative "
                    + "integer");
        }
        return v.asInt();
    }

    private static byte[] canonical(JsonNode value) {
        return bytes(json(value));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
