package dev.sextant.inference.structured;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonStateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static SchemaNode schema(String json) throws Exception {
        return JsonSchemaCompiler.compile(JSON.readTree(json));
    }

    /** The state after {@code text}, or null where it was rejected. */
    static JsonState after(SchemaNode root, String text) {
        return JsonState.start(root).advance(text.getBytes(StandardCharsets.UTF_8));
    }

    static boolean accepts(SchemaNode root, String text) {
        JsonState s = after(root, text);
        return s != null && s.complete();
    }

    static final String PERSON = """
            {"type": "object", "properties": {
              "name": {"type": "string", "minLength": 1, "maxLength": 5},
              "age": {"type": "integer"},
              "email": {"type": ["string", "null"]},
              "tags": {"type": "array", "items": {"enum": ["a", "b", 3]}, "minItems": 1, "maxItems": 2},
              "ok": {"type": "boolean"}},
             "required": ["name", "tags"], "additionalProperties": false}""";

    @Test
    void objectsTakeDeclaredKeysInOrderRequiredOnesIncluded() throws Exception {
        SchemaNode person = schema(PERSON);
        assertThat(accepts(person, "{\"name\":\"Ann\",\"tags\":[\"a\"]}")).isTrue();
        assertThat(accepts(person, "{ \"name\" : \"Ann\" ,\n  \"age\": -12, \"email\": null, \"tags\": [3, \"b\"],"
                + " \"ok\": false }")).isTrue();
        assertThat(accepts(person, "{\"name\":\"Ann\"}")).as("tags required").isFalse();
        assertThat(after(person, "{\"tags\"")).as("name is required before tags").isNull();
        assertThat(after(person, "{\"name\":\"Ann\",\"colour\"")).as("undeclared key").isNull();
        assertThat(after(person, "{\"name\":\"\"")).as("minLength 1").isNull();
        assertThat(after(person, "{\"name\":\"abcdef")).as("maxLength 5").isNull();
        assertThat(after(person, "{\"name\":\"A\",\"tags\":[]")).as("minItems 1").isNull();
        assertThat(after(person, "{\"name\":\"A\",\"tags\":[3,3,")).as("maxItems 2").isNull();
        assertThat(after(person, "{\"name\":\"A\",\"age\":1.5")).as("integer").isNull();
        assertThat(after(person, "{\"name\":\"A\",\"tags\":[4")).as("enum").isNull();
    }

    @Test
    void stringsTakeEscapesAndWholeUtf8Characters() throws Exception {
        SchemaNode s = schema("{\"type\": \"string\", \"maxLength\": 3}");
        assertThat(accepts(s, "\"\\u00e9\\n\\\"\"")).isTrue();
        assertThat(accepts(s, "\"é日\"")).as("code points, not bytes").isTrue();
        assertThat(after(s, "\"abcd")).isNull();
        assertThat(after(s, "\"\\x")).as("bad escape").isNull();
        assertThat(after(s, "\"a\nb")).as("raw control character").isNull();
        byte[] half = "\"日".getBytes(StandardCharsets.UTF_8);
        JsonState partial = JsonState.start(s).advance(java.util.Arrays.copyOf(half, half.length - 1));
        assertThat(partial).isNotNull();
        assertThat(partial.advance('"')).as("a character cut in half cannot end the string").isNull();
        assertThat(partial.minBytes()).isEqualTo(2);
    }

    @Test
    void patternsAndFormatsHoldWhileTheStringIsWritten() throws Exception {
        SchemaNode code = schema("{\"type\": \"string\", \"pattern\": \"^[A-Z]{2}-\\\\d{3}$\"}");
        assertThat(accepts(code, "\"AB-123\"")).isTrue();
        assertThat(accepts(code, "\"\\u0041B-123\"")).as("an escaped character is that character").isTrue();
        assertThat(after(code, "\"Ab")).isNull();
        assertThat(after(code, "\"AB-1234")).isNull();
        assertThat(after(code, "\"AB-12\"")).as("the pattern is not complete").isNull();
        assertThat(after(code, "\"A").minBytes()).isEqualTo("B-123\"".length());
        // Unanchored, as JSON Schema says: a digit anywhere.
        SchemaNode digit = schema("{\"type\": \"string\", \"pattern\": \"[0-9]\"}");
        assertThat(accepts(digit, "\"route 66 west\"")).isTrue();
        assertThat(after(digit, "\"none\"")).isNull();
        assertThat(digit.minBytes()).isEqualTo(3);
        // Non-ASCII characters are whole code points to the pattern.
        SchemaNode word = schema("{\"type\": \"string\", \"pattern\": \"^[^a-z]{2}$\"}");
        assertThat(accepts(word, "\"日本\"")).isTrue();
        assertThat(after(word, "\"日本語")).isNull();
        SchemaNode date = schema("{\"type\": \"string\", \"format\": \"date\"}");
        assertThat(accepts(date, "\"2024-12-04\"")).isTrue();
        assertThat(after(date, "\"2024-02-3")).as("no 30 February").isNull();
        assertThat(after(date, "\"2024-13")).isNull();
        SchemaNode uuid = schema("{\"type\": \"string\", \"format\": \"uuid\"}");
        assertThat(accepts(uuid, "\"123e4567-e89b-12d3-a456-426614174000\"")).isTrue();
        assertThat(uuid.minBytes()).isEqualTo(38);
    }

    @Test
    void numbersEndWhereTheNextByteBelongsToTheParent() throws Exception {
        SchemaNode n = schema("{\"type\": \"number\"}");
        for (String ok : new String[] {"0", "-0.5", "12e3", "1.25E-7", "-7"}) {
            assertThat(accepts(n, ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"01", "-", "1.", ".5", "1e", "+1", "1e+"}) {
            assertThat(accepts(n, bad)).as(bad).isFalse();
        }
        SchemaNode list = schema("{\"type\": \"array\", \"items\": {\"type\": \"integer\"}}");
        assertThat(accepts(list, "[1,22, 333]")).isTrue();
        assertThat(after(list, "[1.")).isNull();
    }

    @Test
    void anyOfRefsAndSchemalessValues() throws Exception {
        SchemaNode tree = schema("""
                {"$defs": {"node": {"type": "object", "properties": {
                   "v": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
                   "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}, "required": ["v"]}},
                 "$ref": "#/$defs/node"}""");
        assertThat(accepts(tree, "{\"v\":1,\"kids\":[{\"v\":\"x\"},{\"v\":2,\"kids\":[]}]}")).isTrue();
        assertThat(after(tree, "{\"v\":true")).isNull();
        SchemaNode any = JsonSchemaCompiler.anyObject();
        assertThat(accepts(any, "{\"a\": [1, {\"b\": null}, \"x\", true], \"c\": -1.5e2}")).isTrue();
        assertThat(after(any, "[")).as("json_object: an object at the top").isNull();
        assertThat(accepts(any, "{}")).isTrue();
    }

    @Test
    void whitespaceIsBoundedAndNothingFollowsTheDocument() throws Exception {
        SchemaNode b = schema("{\"type\": \"boolean\"}");
        assertThat(after(b, " ".repeat(JsonState.MAX_WHITESPACE) + "true")).isNotNull();
        assertThat(after(b, " ".repeat(JsonState.MAX_WHITESPACE + 1))).isNull();
        JsonState done = after(b, "true");
        assertThat(done.complete()).isTrue();
        assertThat(done.finished()).isTrue();
        assertThat(done.advance(' ')).isNull();
        // A top-level number may go on, so it is complete but not finished.
        JsonState number = after(schema("{\"type\": \"integer\"}"), "12");
        assertThat(number.complete()).isTrue();
        assertThat(number.finished()).isFalse();
    }

    @Test
    void minBytesIsTheShortestCompletion() throws Exception {
        SchemaNode person = schema(PERSON);
        String shortest = "{\"name\":\"a\",\"tags\":[3]}";
        assertThat(person.minBytes()).isEqualTo(shortest.length());
        assertThat(JsonState.start(person).minBytes()).isEqualTo(shortest.length());
        // After every prefix of the shortest document, what is left of it is the shortest completion.
        for (int i = 1; i <= shortest.length(); i++) {
            JsonState s = after(person, shortest.substring(0, i));
            assertThat(s).as(shortest.substring(0, i)).isNotNull();
            assertThat(s.minBytes()).as(shortest.substring(0, i)).isEqualTo(shortest.length() - i);
        }
        assertThat(after(person, "{\"name\":\"abc\",\"age\":1").minBytes()).isEqualTo(",\"tags\":[3]}".length());
    }

    @Test
    void equalStatesAreEqualWhateverTheTextBehindThem() throws Exception {
        SchemaNode person = schema(PERSON);
        JsonState one = after(person, "{\"name\":\"ab\",\"email\":\"x");
        JsonState other = after(person, "{\"name\":\"cd\",\"email\":\"yyy");
        assertThat(one).isEqualTo(other).hasSameHashCodeAs(other);
        assertThat(one).isNotEqualTo(after(person, "{\"name\":\"ab"));
        JsonNode parsed = JSON.readTree("{\"name\":\"ab\",\"tags\":[\"a\"]}");
        assertThat(parsed.get("tags").size()).isEqualTo(1);
    }
}
