package dev.sextant.inference.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonSchemaCompilerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SchemaNode compile(String schema) throws Exception {
        return JsonSchemaCompiler.compile(JSON.readTree(schema));
    }

    @Test
    void whatCannotBeEnforcedIsRefusedWithItsKeywordAndPlace() {
        String[][] cases = {
                {"{\"type\": \"object\", \"properties\": {\"zip\": {\"type\": \"string\", \"pattern\": \"^(?=1)[0-9]+$\"}}}",
                        "schema at /properties/zip/pattern: pattern '^(?=1)[0-9]+$': lookaround and named groups is not "
                                + "supported"},
                {"{\"type\": \"string\", \"pattern\": \"(a)\\\\1\"}", "the escape \\1 is not supported"},
                {"{\"type\": \"string\", \"pattern\": \"a{1,999}\"}", "bounds up to 256"},
                {"{\"type\": \"string\", \"pattern\": \"[0-9\"}", "an unclosed '['"},
                {"{\"type\": \"string\", \"pattern\": \"^a\", \"format\": \"date\"}", "'pattern' and 'format' together"},
                {"{\"type\": \"integer\", \"minimum\": 1}", "schema: 'minimum' is not supported"},
                {"{\"type\": \"string\", \"format\": \"ipv6\"}", "format 'ipv6' is not supported (supported: date,"},
                {"{\"oneOf\": [{\"type\": \"string\"}]}", "'oneOf' is not supported (oneOf (anyOf is supported)"},
                {"{\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"uniqueItems\": true}", "'uniqueItems'"},
                {"{\"type\": \"array\", \"prefixItems\": [{\"type\": \"string\"}]}", "'prefixItems' is not supported"},
                {"{\"type\": \"object\", \"additionalProperties\": {\"type\": \"integer\"}}",
                        "schema at /additionalProperties: 'additionalProperties' as a schema"},
                {"{\"type\": \"object\", \"properties\": {}, \"required\": [\"a\"], \"additionalProperties\": false}",
                        "required [a] not declared"},
                {"{\"$ref\": \"#/$defs/missing\"}", "schema at #/$defs/missing: '$ref' points at nothing"},
                {"{\"$ref\": \"https://example.com/s.json\"}", "only local references"},
                {"{\"type\": \"uuid\"}", "unknown type 'uuid'"},
                {"{\"type\": \"string\", \"maxLength\": -1}", "'maxLength' must be a non-negative integer"},
                {"{\"type\": \"array\", \"minItems\": 3, \"maxItems\": 2}", "maxItems 2 is below minItems 3"},
                {"false", "the schema false admits no value"},
                {"{\"$defs\": {\"n\": {\"type\": \"object\", \"properties\": {\"n\": {\"$ref\": \"#/$defs/n\"}},"
                        + " \"required\": [\"n\"]}}, \"$ref\": \"#/$defs/n\"}", "admits no finite document"},
                {"{\"properties\": {\"a\": {\"type\": \"string\"}}}", "constraints without a 'type'"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> compile(c[0])).as(c[0]).isInstanceOf(UnsupportedSchemaException.class)
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void annotationsAreIgnoredAndPydanticShapesCompile() throws Exception {
        // What Pydantic writes for class Step(BaseModel): title: str; done: bool | None = None, in a list model.
        SchemaNode plan = compile("""
                {"$defs": {"Step": {"properties": {"title": {"title": "Title", "type": "string"},
                   "done": {"anyOf": [{"type": "boolean"}, {"type": "null"}], "default": null, "title": "Done"}},
                   "required": ["title"], "title": "Step", "type": "object"}},
                 "properties": {"steps": {"items": {"$ref": "#/$defs/Step"}, "title": "Steps", "type": "array"}},
                 "required": ["steps"], "title": "Plan", "type": "object", "additionalProperties": false}""");
        assertThat(plan.minBytes()).isEqualTo("{\"steps\":[]}".length());
        assertThat(compile("true").minBytes()).isEqualTo(1);
        assertThat(compile("{\"type\": \"object\"}").minBytes()).isEqualTo(2);
        assertThat(compile("{\"const\": {\"k\": [1, \"x\"]}}").minBytes()).isEqualTo("{\"k\":[1,\"x\"]}".length());
    }
}
