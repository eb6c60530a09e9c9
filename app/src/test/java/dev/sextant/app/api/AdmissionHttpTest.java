package dev.sextant.app.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys, rate limits and budgets over a real socket, with keys required (an admin key is configured). */
@QuarkusTest
@TestProfile(AdmissionHttpTest.KeysRequired.class)
class AdmissionHttpTest {

    static final String ADMIN = "test-admin-key";

    public static class KeysRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // $1000 per million tokens = $0.001 a token, so small budgets are reached by small requests.
            // The chat model condenses follow-ups, so that /v1/retrieve can cost a generation.
            return Map.of("sextant.auth.admin-key", ADMIN,
                    "sextant.prices.default-prompt-per-million", "1000",
                    "sextant.prices.default-completion-per-million", "1000",
                    "sextant.retrieval.rewrite", "model");
        }
    }

    static String createKey(String body) {
        return given().header("authorization", "Bearer " + ADMIN).contentType(ContentType.JSON).body(body)
                .post("/admin/keys").then().statusCode(201).body("key", notNullValue()).extract().path("key");
    }

    static Response chat(String key, int maxTokens) {
        return given().header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"hello\"}], \"max_tokens\": " + maxTokens
                        + "}")
                .post("/v1/chat/completions");
    }

    @Test
    void requestsWithoutAValidKeyGet401WithAJsonError() {
        given().get("/v1/models").then().statusCode(401).contentType(ContentType.JSON)
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.message", containsString("Authorization: Bearer"));
        given().header("authorization", "Bearer sk-sextant-nope").get("/v1/models").then().statusCode(401)
                .body("error.message", equalTo("invalid API key"));
        given().header("authorization", "Token abc").contentType(ContentType.JSON).body("{\"query\": \"x\"}")
                .post("/v1/retrieve").then().statusCode(401).body("error.message", containsString("Bearer"));
    }

    @Test
    void aCreatedKeyWorksShowsItsLimitsAndCanBeRevoked() {
        String key = createKey("{\"tenant\": \"acme\", \"name\": \"ci\", \"requests_per_minute\": 100}");
        given().header("authorization", "Bearer " + key).get("/v1/models").then().statusCode(200);
        chat(key, 2).then().statusCode(200)
                .header("x-ratelimit-limit-requests", "100")
                .header("x-ratelimit-remaining-requests", notNullValue());
        String id = given().header("authorization", "Bearer " + ADMIN).get("/admin/keys").then().statusCode(200)
                .extract().path("data.find { it.name == 'ci' }.id");
        given().header("authorization", "Bearer " + key).get("/admin/keys").then().statusCode(403)
                .body("error.code", equalTo("admin_required"));
        given().header("authorization", "Bearer " + ADMIN).delete("/admin/keys/" + id).then().statusCode(200)
                .body("revoked", equalTo(true));
        given().header("authorization", "Bearer " + key).get("/v1/models").then().statusCode(401)
                .body("error.message", containsString("revoked"));
    }

    static Response retrieve(String key, String body) {
        return given().header("authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/v1/retrieve");
    }

    @Test
    void aFollowUpCondensedByTheChatModelIsAdmittedLikeAChatWhileAQueryCostsNothing() {
        String key = createKey("{\"requests_per_minute\": 2}");
        String followUp = "{\"messages\": [{\"role\": \"user\", \"content\": \"How do I vacuum a table?\"}, "
                + "{\"role\": \"assistant\", \"content\": \"Run VACUUM.\"}, "
                + "{\"role\": \"user\", \"content\": \"And can I undo that?\"}]}";
        for (int i = 0; i < 3; i++) {
            retrieve(key, "{\"query\": \"vacuum\"}").then().statusCode(200);
        }
        retrieve(key, followUp).then().statusCode(200).header("x-ratelimit-remaining-requests", "1");
        // A first question needs no rewrite: no model runs, nothing is admitted.
        retrieve(key, "{\"messages\": [{\"role\": \"user\", \"content\": \"How do I vacuum a table?\"}]}")
                .then().statusCode(200);
        retrieve(key, followUp).then().statusCode(200).header("x-ratelimit-remaining-requests", "0");
        retrieve(key, followUp).then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"));
    }

    @Test
    void theRequestsPerMinuteLimitAnswers429WithRetryAfter() {
        String key = createKey("{\"requests_per_minute\": 2}");
        chat(key, 1).then().statusCode(200).header("x-ratelimit-remaining-requests", "1");
        chat(key, 1).then().statusCode(200).header("x-ratelimit-remaining-requests", "0");
        Response refused = chat(key, 1);
        refused.then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.message", containsString("requests per minute"));
        assertThat(Integer.parseInt(refused.header("retry-after"))).isBetween(1, 30);
    }

    @Test
    void aRequestWhoseWorstCaseDoesNotFitTheBudgetIsRefusedBeforeAnyWork() {
        // The worst case counts the retrieved-context budget (768 tokens) and max_tokens: about $0.8 here.
        String key = createKey("{\"daily_budget_usd\": 0.5}");
        chat(key, 8).then().statusCode(402).body("error.code", equalTo("budget_exceeded"))
                .body("error.message", containsString("daily budget of key:key_"));
        String id = given().header("authorization", "Bearer " + ADMIN).get("/admin/keys").then()
                .extract().path("data.find { it.daily_budget_usd == 0.5 }.id");
        given().header("authorization", "Bearer " + ADMIN).contentType(ContentType.JSON)
                .body("{\"daily_budget_usd\": 100}").patch("/admin/keys/" + id).then().statusCode(200)
                .body("daily_budget_usd", equalTo(100.0f));
        chat(key, 8).then().statusCode(200);
    }

    @Test
    void aFollowUpChatReservesTheCondensingCallOnTopOfTheAnswer() {
        // A first question's worst case is about $0.79 (context budget + "hello" + 8 tokens); a follow-up adds the
        // condenser's prompt and its 48 tokens, which no longer fits $1.
        String key = createKey("{\"daily_budget_usd\": 1.0}");
        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"How do I vacuum a table?\"}, "
                        + "{\"role\": \"assistant\", \"content\": \"Run VACUUM.\"}, "
                        + "{\"role\": \"user\", \"content\": \"hello\"}], \"max_tokens\": 8}")
                .post("/v1/chat/completions").then().statusCode(402).body("error.code", equalTo("budget_exceeded"));
        chat(key, 8).then().statusCode(200);
    }

    @Test
    void badAdminRequestsAreNamed() {
        given().header("authorization", "Bearer " + ADMIN).contentType(ContentType.JSON)
                .body("{\"tenant\": \"no spaces allowed\"}").post("/admin/keys").then().statusCode(400)
                .body("error.param", equalTo("tenant"));
        given().header("authorization", "Bearer " + ADMIN).contentType(ContentType.JSON)
                .body("{\"requests_per_minute\": -1}").post("/admin/keys").then().statusCode(400)
                .body("error.param", equalTo("requests_per_minute"));
        given().header("authorization", "Bearer " + ADMIN).contentType(ContentType.JSON).body("{}")
                .patch("/admin/keys/key_doesnotexist").then().statusCode(404)
                .body("error.code", equalTo("key_not_found"));
        given().contentType(ContentType.JSON).body("{}").post("/admin/keys").then().statusCode(401);
    }
}
