package dev.sextant.app.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code response_format} over a real socket: what the model writes is a document of the schema, streamed or not. */
@QuarkusTest
class StructuredOutputRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader STRICT = JSON.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String SCHEMA = """
            {"type": "object", "properties": {
               "answer": {"type": "string", "maxLength": 40},
               "confidence": {"enum": ["low", "medium", "high"]},
               "sources": {"type": "array", "items": {"type": "integer"}, "maxItems": 3}},
             "required": ["answer", "confidence"], "additionalProperties": false}""";

    private static Map<String, Object> request(String question, int maxTokens, boolean stream) throws Exception {
        return Map.of("messages", List.of(Map.of("role", "user", "content", question)), "max_tokens", maxTokens,
                "stream", stream, "response_format", Map.of("type", "json_schema", "json_schema",
                        Map.of("name", "answer", "strict", true, "schema", JSON.readTree(SCHEMA))));
    }

    private static Schema validator() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(SCHEMA);
    }

    @Test
    void chatAnswersADocumentOfTheSchemaAlsoWhenCutByMaxTokens() throws Exception {
        Schema schema = validator();
        for (int maxTokens : new int[] {96, 40}) {
            String body = given().contentType(ContentType.JSON)
                    .body(JSON.writeValueAsString(request("How do I vacuum a table?", maxTokens, false)))
                    .when().post("/v1/chat/completions").then().statusCode(200).extract().asString();
            JsonNode choice = JSON.readTree(body).get("choices").get(0);
            String content = choice.get("message").get("content").asText();
            assertThat(schema.validate(STRICT.readValue(content))).as(content).isEmpty();
            assertThat(choice.get("finish_reason").asText()).isIn("stop", "length");
        }
    }

    @Test
    void streamedDeltasJoinIntoADocumentOfTheSchema() throws Exception {
        String body = given().contentType(ContentType.JSON)
                .body(JSON.writeValueAsString(request("What does a merge do?", 64, true)))
                .when().post("/v1/chat/completions").then().statusCode(200)
                .contentType(containsString("text/event-stream")).extract().asString();
        StringBuilder content = new StringBuilder();
        for (String line : body.lines().filter(l -> l.startsWith("data: {")).toList()) {
            JsonNode delta = JSON.readTree(line.substring(6)).path("choices").path(0).path("delta");
            if (delta.has("content")) {
                content.append(delta.get("content").asText());
            }
        }
        assertThat(validator().validate(STRICT.readValue(content.toString()))).as(content.toString()).isEmpty();
    }

    @Test
    void jsonObjectModeAnswersAnObject() throws Exception {
        String content = given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(Map.of("role", "user", "content", "Reply in JSON.")),
                        "max_tokens", 32, "response_format", Map.of("type", "json_object")))
                .when().post("/v1/chat/completions").then().statusCode(200)
                .extract().path("choices[0].message.content");
        assertThat(STRICT.<JsonNode>readValue(content).isObject()).as(content).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "not an object | \"json\" | response_format | 'response_format' must be an object, got a string",
        "no type | {} | response_format.type | 'response_format.type' is required",
        "unknown type | {\"type\": \"yaml\"} | response_format.type | must be one of text, json_object, json_schema; got 'yaml'",
        "extra field | {\"type\": \"json_object\", \"schema\": {}} | response_format.schema | 'response_format.schema' is not supported",
        "no json_schema | {\"type\": \"json_schema\"} | response_format.json_schema | is required with type json_schema",
        "no name | {\"type\": \"json_schema\", \"json_schema\": {\"schema\": {\"type\": \"object\"}}} | response_format.json_schema.name | 'response_format.json_schema.name' is required",
        "bad name | {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"a b\", \"schema\": {}}} | response_format.json_schema.name | 1 to 64 letters",
        "no schema | {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"a\"}} | response_format.json_schema.schema | 'response_format.json_schema.schema' is required",
        "minimum | {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"a\", \"schema\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\", \"minimum\": 1}}}}} | response_format.json_schema.schema | response_format.json_schema.schema at /properties/n: 'minimum' is not supported",
        "lookahead | {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"a\", \"schema\": {\"type\": \"string\", \"pattern\": \"(?!x)\"}}} | response_format.json_schema.schema | schema at /pattern: pattern '(?!x)': lookaround",
        "dangling ref | {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"a\", \"schema\": {\"$ref\": \"#/$defs/x\"}}} | response_format.json_schema.schema | '$ref' points at nothing",
    })
    void badResponseFormatsAreA400NamingTheField(String name, String format, String param, String message) {
        given().contentType(ContentType.JSON)
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"response_format\": " + format + "}")
                .when().post("/v1/chat/completions")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo(param))
                .body("error.message", containsString(message));
    }
}
