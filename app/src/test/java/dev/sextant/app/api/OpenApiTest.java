package dev.sextant.app.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sextant.ingestion.IngestRequest;
import dev.sextant.ingestion.Ingestor;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.nio.file.Paths;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/openapi} describes every route the code has, with request, response and error schemas; and the schemas
 * are honest: the real requests sent here pass their request schema, and every field of the real responses (nested
 * ones too) is declared by its response schema, with the declared type, bounds and enumerations. Keys are required
 * here (an admin key is configured), so the admin routes and the 401 and 403 bodies are real too.
 */
@QuarkusTest
@TestProfile(OpenApiTest.KeysRequired.class)
class OpenApiTest {

    static final String ADMIN = "openapi-test-admin-key";
    static final String TENANT = "openapi";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The routes of the API, as the resources declare them; the test also derives them from the code. */
    static final Set<String> ROUTES = Set.of("POST /v1/chat/completions", "POST /v1/completions",
            "POST /v1/embeddings", "GET /v1/models", "POST /v1/retrieve", "POST /admin/keys", "GET /admin/keys",
            "PATCH /admin/keys/{id}", "DELETE /admin/keys/{id}", "POST /admin/cache/flush");

    public static class KeysRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sextant.auth.admin-key", ADMIN);
        }
    }

    static JsonNode document;
    static SchemaChecker checker;
    static String tenantKey;

    @Inject
    Ingestor ingestor;

    @BeforeEach
    void once() throws Exception {
        if (document != null) {
            return;
        }
        document = JSON.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        checker = new SchemaChecker(document);
        var report = ingestor.ingest(new IngestRequest(List.of(Paths.get("..", "samples", "corpus", "git")
                .toAbsolutePath().normalize()), TENANT));
        assertThat(report.failures()).isEmpty();
        tenantKey = JSON.readTree(call(ADMIN, "POST", "/admin/keys", Map.of("tenant", TENANT, "name", "openapi"))
                .then().statusCode(201).extract().asString()).get("key").asText();
    }

    // ---- the document ----

    @Test
    void describesEveryRouteOfTheCodeAndNothingElse() throws Exception {
        Map<String, Method> code = routesOfTheCode();
        assertThat(code.keySet()).as("routes found in the resources").isEqualTo(new TreeSet<>(ROUTES));
        Set<String> documented = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op ->
                documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
        assertThat(documented).isEqualTo(code.keySet());
        assertThat(document.get("info").get("title").asText()).isEqualTo("sextant API");
        assertThat(document.get("info").get("version").asText()).isNotBlank();
        assertThat(document.get("info").get("description").asText()).contains("OpenAI");
        JsonNode bearer = document.get("components").get("securitySchemes").get("bearer");
        assertThat(bearer.get("type").asText()).isEqualTo("http");
        assertThat(bearer.get("scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void everyOperationHasItsRequestSchemaResponseSchemasAndErrorBodies() throws Exception {
        for (var route : routesOfTheCode().entrySet()) {
            String name = route.getKey();
            String path = name.substring(name.indexOf(' ') + 1);
            JsonNode op = operation(name);
            assertThat(op.path("operationId").asText()).as(name + " operationId").isNotBlank();
            assertThat(op.path("tags")).as(name + " tags").isNotEmpty();
            assertThat(op.path("security").toString()).as(name + " security").isEqualTo("[{\"bearer\":[]}]");
            // the body is the one parameter without an annotation (@Context, @PathParam, ...)
            boolean takesBody = Arrays.stream(route.getValue().getParameters())
                    .anyMatch(p -> p.getAnnotations().length == 0);
            assertThat(op.has("requestBody")).as(name + " has a request body").isEqualTo(takesBody);
            if (takesBody) {
                assertThat(refOf(op.get("requestBody").path("content").path("application/json").path("schema")))
                        .as(name + " request schema").isNotNull();
            }
            Set<String> statuses = new TreeSet<>();
            op.get("responses").properties().forEach(response -> statuses.add(response.getKey()));
            assertThat(statuses.stream().filter(s -> s.startsWith("2"))).as(name + " success").hasSize(1);
            List<String> expectedErrors = new ArrayList<>(List.of("401"));
            if (takesBody) {
                expectedErrors.addAll(List.of("400", "413"));
            }
            if (path.startsWith("/admin/")) {
                expectedErrors.add("403");
            }
            if (path.startsWith("/v1/") && !path.equals("/v1/models") || path.contains("{id}")) {
                expectedErrors.add("404");
            }
            if (Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings").contains(path)) {
                expectedErrors.addAll(List.of("402", "429", "503", "504"));
            }
            assertThat(statuses).as(name + " statuses").containsAll(expectedErrors);
            for (String status : statuses) {
                JsonNode content = op.get("responses").get(status).path("content");
                String ref = refOf(content.path("application/json").path("schema"));
                assertThat(ref).as(name + " " + status + " JSON schema").isNotNull();
                if (!status.startsWith("2")) {
                    assertThat(ref).as(name + " " + status).isEqualTo("#/components/schemas/ErrorResponse");
                }
            }
        }
        for (String streaming : List.of("POST /v1/chat/completions", "POST /v1/completions")) {
            assertThat(refOf(operation(streaming).get("responses").get("200").path("content")
                    .path("text/event-stream").path("schema"))).as(streaming + " event stream").isNotNull();
        }
        assertThat(operation("POST /v1/chat/completions").get("responses").get("429").path("headers")
                .has("retry-after")).isTrue();
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        document.findValues("$ref").forEach(r -> refs.add(r.asText()));
        assertThat(refs).isNotEmpty();
        refs.forEach(checker::resolve);
    }

    @Test
    void requestSchemasDeclareWhatTheParsersRead() {
        assertThat(checker.properties(schema("ChatCompletionRequest")).keySet()).containsExactlyInAnyOrder(
                "model", "messages", "max_tokens", "max_completion_tokens", "stop", "stream", "stream_options",
                "temperature", "top_p", "seed", "presence_penalty", "frequency_penalty", "n", "top_k",
                "repetition_penalty", "ignore_eos", "response_format", "logprobs", "top_logprobs");
        assertThat(checker.properties(schema("CompletionRequest")).keySet()).contains("prompt", "max_tokens",
                "echo", "logprobs", "temperature", "stream", "stream_options", "ignore_eos");
        assertThat(checker.properties(schema("EmbeddingsRequest")).keySet()).containsExactlyInAnyOrder("input",
                "model", "encoding_format", "dimensions");
        assertThat(checker.properties(schema("RetrieveRequest")).keySet()).containsExactlyInAnyOrder("query",
                "messages", "top_k", "min_score", "max_per_source", "mode");
        assertThat(checker.properties(schema("KeyCreateRequest")).keySet()).containsExactlyInAnyOrder("tenant",
                "name", "admin", "requests_per_minute", "tokens_per_minute", "daily_budget_usd",
                "monthly_budget_usd");
        // sextant's defaults, not OpenAI's: greedy unless asked
        JsonNode sampling = schema("GenerationParameters").get("properties");
        assertThat(sampling.get("temperature").get("default").asDouble()).isZero();
        assertThat(sampling.get("temperature").get("maximum").asDouble()).isEqualTo(2.0);
        assertThat(sampling.get("top_p").get("exclusiveMinimum").asDouble()).isZero();
        assertThat(sampling.get("stream_options").get("$ref").asText()).endsWith("/StreamOptions");
        JsonNode content = schema("ChatMessage").get("properties").get("content");
        assertThat(content.get("oneOf")).hasSize(2);
        assertThat(schema("EmbeddingsRequest").get("properties").get("encoding_format").get("enum").toString())
                .isEqualTo("[\"float\",\"base64\"]");
    }

    // ---- real responses against their schemas ----

    @Test
    void chatAnswerMatchesItsSchema() throws Exception {
        Map<String, Object> request = Map.of("messages", List.of(
                Map.of("role", "system", "content", "Answer briefly."),
                Map.of("role", "user", "content", List.of(Map.of("type", "text", "text",
                        "How do I rebase a branch onto main with git?")))), "max_tokens", 6, "temperature", 0);
        JsonNode answer = conforms("POST /v1/chat/completions", 200, tenantKey, request);
        assertThat(answer.get("citations")).as("retrieval found the rebase page").isNotEmpty();
        assertThat(answer.get("retrieval").asText()).isEqualTo("ok");
    }

    @Test
    void chatStreamEventsMatchTheChunkSchema() throws Exception {
        Map<String, Object> request = Map.of("messages", List.of(Map.of("role", "user", "content",
                "What does git rebase --onto do?")), "max_tokens", 5, "stream", true,
                "stream_options", Map.of("include_usage", true));
        List<JsonNode> events = streamConforms("POST /v1/chat/completions", tenantKey, request);
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("choices")).isEmpty();
        assertThat(last.has("usage")).isTrue();
        assertThat(last.get("citations")).isNotEmpty();
    }

    @Test
    void textCompletionMatchesItsSchemaAsJsonAndAsEvents() throws Exception {
        JsonNode body = conforms("POST /v1/completions", 200, tenantKey, Map.of("prompt", "A rebase", "max_tokens",
                4, "stop", List.of("\n\n"), "seed", 7, "top_k", 40, "repetition_penalty", 1.1));
        assertThat(body.get("usage").get("completion_tokens").asInt()).isPositive();
        List<JsonNode> events = streamConforms("POST /v1/completions", tenantKey, Map.of("prompt", List.of(
                "A rebase"), "max_tokens", 4, "stream", true, "stream_options", Map.of("include_usage", true)));
        assertThat(events.get(events.size() - 1).has("usage")).isTrue();
    }

    @Test
    void embeddingsMatchTheirSchemaInBothEncodings() throws Exception {
        JsonNode floats = conforms("POST /v1/embeddings", 200, tenantKey, Map.of("input", List.of("rebase",
                "merge"), "encoding_format", "float", "dimensions", 384));
        assertThat(floats.get("data")).hasSize(2);
        JsonNode base64 = conforms("POST /v1/embeddings", 200, tenantKey, Map.of("input", "rebase",
                "encoding_format", "base64"));
        assertThat(base64.get("data").get(0).get("embedding").isTextual()).isTrue();
    }

    @Test
    void modelsAndRetrievalMatchTheirSchemas() throws Exception {
        JsonNode models = conforms("GET /v1/models", 200, tenantKey, null);
        assertThat(models.get("data")).hasSizeGreaterThanOrEqualTo(2);
        JsonNode results = conforms("POST /v1/retrieve", 200, tenantKey, Map.of("query", "rebase onto main",
                "top_k", 3, "mode", "hybrid"));
        assertThat(results.get("results")).isNotEmpty();
        JsonNode followUp = conforms("POST /v1/retrieve", 200, tenantKey, Map.of("messages", List.of(
                Map.of("role", "user", "content", "How do I rebase a branch onto main with git?"),
                Map.of("role", "assistant", "content", "git rebase main, on the branch."),
                Map.of("role", "user", "content", "And how do I undo it?")), "top_k", 3));
        assertThat(followUp.get("rewrite").asText()).isEqualTo("folded");
        assertThat(followUp.get("query").asText()).isEqualTo("How do I rebase a branch onto main with git?\n"
                + "And how do I undo it?");
        assertThat(followUp.get("results")).isNotEmpty();
    }

    @Test
    void adminResponsesMatchTheirSchemas() throws Exception {
        JsonNode created = conforms("POST /admin/keys", 201, ADMIN, Map.of("tenant", TENANT, "name", "to revoke",
                "requests_per_minute", 10, "daily_budget_usd", 1.5));
        String id = created.get("id").asText();
        conforms("GET /admin/keys", 200, ADMIN, null);
        conforms("PATCH /admin/keys/{id}", "/admin/keys/" + id, 200, ADMIN, Map.of("tokens_per_minute", 5000));
        JsonNode revoked = conforms("DELETE /admin/keys/{id}", "/admin/keys/" + id, 200, ADMIN, null);
        assertThat(revoked.get("revoked").asBoolean()).isTrue();
        conforms("POST /admin/cache/flush", 200, ADMIN, Map.of("tenant", TENANT, "sources", List.of("rebase.md")));
        conforms("POST /admin/cache/flush", 200, ADMIN, Map.of());
    }

    @Test
    void realErrorBodiesMatchTheErrorSchema() throws Exception {
        JsonNode bad = conforms("POST /v1/chat/completions", 400, tenantKey, Map.of("messages",
                List.of(Map.of("role", "user", "content", "hi")), "temperature", 9));
        assertThat(bad.get("error").get("param").asText()).isEqualTo("temperature");
        conforms("POST /v1/embeddings", 400, tenantKey, Map.of("input", List.of()));
        JsonNode unauthorized = conforms("GET /v1/models", 401, null, null);
        assertThat(unauthorized.get("error").get("code").asText()).isEqualTo("invalid_api_key");
        JsonNode forbidden = conforms("GET /admin/keys", 403, tenantKey, null);
        assertThat(forbidden.get("error").get("code").asText()).isEqualTo("admin_required");
        JsonNode missing = conforms("DELETE /admin/keys/{id}", "/admin/keys/key_000000000000", 404, ADMIN, null);
        assertThat(missing.get("error").get("code").asText()).isEqualTo("key_not_found");
    }

    /** The checker is what makes the tests above able to fail: it must see fields and types the schema lacks. */
    @Test
    void theCheckerRejectsUndeclaredFieldsAndWrongTypes() throws Exception {
        JsonNode real = JSON.readTree(call(tenantKey, "POST", "/v1/chat/completions", Map.of("messages",
                List.of(Map.of("role", "user", "content", "rebase?")), "max_tokens", 2)).then().statusCode(200)
                .extract().asString());
        JsonNode schema = responseSchema("POST /v1/chat/completions", "200", "application/json");
        assertThat(checker.problems(real, schema)).isEmpty();
        ObjectNode extraTop = real.deepCopy();
        extraTop.put("surprise", 1);
        assertThat(onlyProblem(extraTop, schema)).contains("'surprise'");
        ObjectNode extraNested = real.deepCopy();
        ((ObjectNode) extraNested.get("choices").get(0).get("message")).put("refusal", "no");
        assertThat(onlyProblem(extraNested, schema)).contains("$.choices[0].message").contains("'refusal'");
        ObjectNode wrongType = real.deepCopy();
        ((ObjectNode) wrongType.get("usage")).put("prompt_tokens", "many");
        assertThat(onlyProblem(wrongType, schema)).contains("$.usage.prompt_tokens");
        ObjectNode missing = real.deepCopy();
        missing.remove("model");
        assertThat(onlyProblem(missing, schema)).contains("'model' is missing");
        ObjectNode badEnum = real.deepCopy();
        ((ObjectNode) badEnum.get("choices").get(0)).put("finish_reason", "tool_calls");
        assertThat(onlyProblem(badEnum, schema)).contains("tool_calls");
    }

    private static String onlyProblem(JsonNode value, JsonNode schema) {
        List<String> problems = checker.problems(value, schema);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    // ---- helpers ----

    /** {@code "POST /v1/chat/completions"} to the resource method, for every JAX-RS route of the code. */
    static Map<String, Method> routesOfTheCode() throws ClassNotFoundException {
        Map<String, Method> routes = new TreeMap<>();
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sextant");
        for (JavaClass c : classes) {
            if (!c.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = Class.forName(c.getName(), false, OpenApiTest.class.getClassLoader());
            String base = resource.getAnnotation(Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                for (Annotation a : m.getAnnotations()) {
                    HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
                    if (http != null) {
                        Path sub = m.getAnnotation(Path.class);
                        routes.put(http.value() + " " + join(base, sub == null ? "" : sub.value()), m);
                    }
                }
            }
        }
        return routes;
    }

    private static String join(String base, String sub) {
        String path = (base + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static JsonNode operation(String route) {
        int space = route.indexOf(' ');
        JsonNode op = document.get("paths").path(route.substring(space + 1))
                .path(route.substring(0, space).toLowerCase(Locale.ROOT));
        assertThat(op.isMissingNode()).as(route + " is documented").isFalse();
        return op;
    }

    static JsonNode schema(String name) {
        return checker.resolve("#/components/schemas/" + name);
    }

    static String refOf(JsonNode schema) {
        return schema.has("$ref") ? schema.get("$ref").asText() : null;
    }

    static JsonNode responseSchema(String route, String status, String mediaType) {
        JsonNode response = operation(route).get("responses").get(status);
        assertThat(response).as(route + " documents status " + status).isNotNull();
        JsonNode schema = response.path("content").path(mediaType).path("schema");
        assertThat(schema.isMissingNode()).as(route + " " + status + " documents " + mediaType).isFalse();
        return schema;
    }

    JsonNode conforms(String route, int status, String key, Object body) throws Exception {
        return conforms(route, route.substring(route.indexOf(' ') + 1), status, key, body);
    }

    /**
     * Sends the request (checking a body meant to be valid against the request schema first), expects the status,
     * and checks the JSON response against the schema the document gives for that status.
     */
    JsonNode conforms(String route, String path, int status, String key, Object body) throws Exception {
        if (body != null && status < 300) {
            JsonNode requestSchema = operation(route).get("requestBody").get("content").get("application/json")
                    .get("schema");
            assertThat(checker.problems(JSON.valueToTree(body), requestSchema)).as(route + " request " + body)
                    .isEmpty();
        }
        Response response = call(key, route.substring(0, route.indexOf(' ')), path, body);
        String text = response.then().statusCode(status).contentType(ContentType.JSON).extract().asString();
        JsonNode json = JSON.readTree(text);
        assertThat(checker.problems(json, responseSchema(route, Integer.toString(status), "application/json")))
                .as(route + " " + status + " response " + text).isEmpty();
        return json;
    }

    /** A streamed request: every event before {@code [DONE]} must match the documented event schema. */
    List<JsonNode> streamConforms(String route, String key, Map<String, Object> body) throws Exception {
        JsonNode requestSchema = operation(route).get("requestBody").get("content").get("application/json")
                .get("schema");
        assertThat(checker.problems(JSON.valueToTree(body), requestSchema)).as(route + " request").isEmpty();
        String text = call(key, "POST", route.substring(route.indexOf(' ') + 1), body).then().statusCode(200)
                .contentType(containsString("text/event-stream")).extract().asString();
        List<String> data = text.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data).hasSizeGreaterThan(2);
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        JsonNode schema = responseSchema(route, "200", "text/event-stream");
        List<JsonNode> events = new ArrayList<>();
        for (String event : data.subList(0, data.size() - 1)) {
            JsonNode json = JSON.readTree(event);
            assertThat(checker.problems(json, schema)).as(route + " event " + event).isEmpty();
            events.add(json);
        }
        return events;
    }

    static Response call(String key, String method, String path, Object body) {
        RequestSpecification request = given();
        if (key != null) {
            request = request.header("authorization", "Bearer " + key);
        }
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.request(method, path);
    }
}
