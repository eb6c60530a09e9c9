package dev.sextant.app.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every malformed request gets a 4xx with an OpenAI-style JSON error naming what was wrong; never a 500. */
@QuarkusTest
class BadInputTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "malformed JSON | {\"messages\": [ | not valid JSON",
        "empty body | ~~ | request body is empty",
        "array body | [1, 2] | must be a JSON object",
        "missing messages | {\"model\": \"x\"} | 'messages' is required",
        "empty messages | {\"messages\": []} | at least one message",
        "messages not an array | {\"messages\": \"hi\"} | 'messages' must be an array, got a string",
        "message not an object | {\"messages\": [42]} | messages[0] must be an object",
        "missing role | {\"messages\": [{\"content\": \"hi\"}]} | messages[0].role is required",
        "unknown role | {\"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]} | must be one of",
        "missing content | {\"messages\": [{\"role\": \"user\"}]} | messages[0].content is required",
        "content wrong type | {\"messages\": [{\"role\": \"user\", \"content\": 5}]} | got a number",
        "no user message | {\"messages\": [{\"role\": \"system\", \"content\": \"x\"}]} | must contain a user message",
        "max_tokens as string | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": \"5\"} | 'max_tokens' must be an integer, got a string",
        "max_tokens zero | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 0} | 'max_tokens' must be between 1",
        "stream as string | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream\": \"yes\"} | 'stream' must be a boolean",
        "temperature too high | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": 9} | 'temperature' must be between",
        "stop wrong type | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stop\": 3} | 'stop' must be a string or an array",
        "model wrong type | {\"model\": 7, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | 'model' must be a string",
        "tools | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": []} | 'tools' is not supported: tool calling is not supported yet",
        "top_logprobs without logprobs | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_logprobs\": 2} | 'top_logprobs' needs 'logprobs': true",
        "top_logprobs too many | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"logprobs\": true, \"top_logprobs\": 21} | 'top_logprobs' must be between 0 and 20",
        "logit_bias | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"logit_bias\": {\"5\": 1}} | 'logit_bias' is not supported",
        "store true | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"store\": true} | 'store' must be false",
        "unknown field | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temprature\": 0.2} | unknown field 'temprature'",
    })
    void chatRejects(String name, String body, String message) {
        given().contentType(ContentType.JSON).body(body == null ? "" : body)
                .when().post("/v1/chat/completions")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString(message));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "missing query | {\"top_k\": 3} | 'query' (a search text) or 'messages' (a conversation) is required",
        "query and messages | {\"query\": \"vacuum\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | give either 'query' or 'messages', not both",
        "messages not an array | {\"messages\": \"vacuum\"} | 'messages' must be an array, got a string",
        "messages empty | {\"messages\": []} | 'messages' must contain at least one message",
        "message unknown role | {\"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]} | messages[0].role must be one of",
        "messages end with an answer | {\"messages\": [{\"role\": \"user\", \"content\": \"vacuum?\"}, {\"role\": \"assistant\", \"content\": \"It reclaims space.\"}]} | the last of 'messages' must be the user's question, got one of role assistant",
        "blank user message | {\"messages\": [{\"role\": \"user\", \"content\": \"vacuum?\"}, {\"role\": \"user\", \"content\": \" \"}]} | messages[1].content must not be empty",
        "empty query | {\"query\": \"  \"} | 'query' must not be empty",
        "query wrong type | {\"query\": [1]} | 'query' must be a string, got an array",
        "top_k zero | {\"query\": \"vacuum\", \"top_k\": 0} | 'top_k' must be between 1 and 100, got 0",
        "top_k too big | {\"query\": \"vacuum\", \"top_k\": 1000} | 'top_k' must be between 1 and 100",
        "top_k fractional | {\"query\": \"vacuum\", \"top_k\": 2.5} | 'top_k' must be an integer, got a number",
        "top_k string | {\"query\": \"vacuum\", \"top_k\": \"5\"} | 'top_k' must be an integer, got a string",
        "max_per_source negative | {\"query\": \"vacuum\", \"max_per_source\": -1} | 'max_per_source' must be between 0 and 100, got -1",
        "trailing garbage | {\"query\": \"vacuum\"} x | not valid JSON",
        "unknown mode | {\"query\": \"vacuum\", \"mode\": \"magic\"} | 'mode' must be one of hybrid, dense, keyword",
    })
    void retrieveRejects(String name, String body, String message) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/retrieve")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error.param", notNullValueUnlessJson(message))
                .body("error.message", containsString(message));
    }

    private static org.hamcrest.Matcher<Object> notNullValueUnlessJson(String message) {
        return message.contains("JSON") ? org.hamcrest.Matchers.nullValue() : notNullValue();
    }

    @Test
    void anUnknownModelIsA404ModelNotFoundAsOpenAiAnswers() {
        for (String route : new String[] {"/v1/chat/completions", "/v1/completions", "/v1/embeddings"}) {
            String body = route.equals("/v1/chat/completions")
                    ? "{\"model\": \"gpt-9\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"
                    : route.equals("/v1/completions") ? "{\"model\": \"gpt-9\", \"prompt\": \"hi\"}"
                    : "{\"model\": \"gpt-9\", \"input\": \"hi\"}";
            given().contentType(ContentType.JSON).body(body).when().post(route)
                    .then().statusCode(404).contentType(ContentType.JSON)
                    .body("error.code", equalTo("model_not_found"))
                    .body("error.param", equalTo("model"))
                    .body("error.message", containsString("'gpt-9' does not exist"));
        }
    }

    @Test
    void fieldsWithoutEffectAndNullsAreAccepted() {
        given().contentType(ContentType.JSON)
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 2, "
                        + "\"user\": \"u-1\", \"metadata\": {\"k\": \"v\"}, \"store\": false, \"tools\": null, "
                        + "\"logprobs\": false}")
                .when().post("/v1/chat/completions").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"hi\", \"max_tokens\": 2, \"suffix\": \"x\"}")
                .when().post("/v1/completions").then().statusCode(400)
                .body("error.param", equalTo("suffix"))
                .body("error.message", containsString("'suffix' is not supported"));
    }

    @Test
    void tooLongPromptIsA400NamingTheContextLength() {
        String huge = "word ".repeat(6000);
        given().contentType(ContentType.JSON)
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"" + huge + "\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(400).body("error.message", containsString("context length is 2048"));
    }

    @Test
    void unknownRouteIsAJson404() {
        given().when().get("/v1/nothing-here").then().statusCode(404).contentType(ContentType.JSON)
                .body("error.code", equalTo("not_found"))
                .body("error.message", containsString("/v1/nothing-here"));
    }

    @Test
    void aBodyOverTheLimitIsAJson413AndTheServerStillAnswers() {
        String huge = "x".repeat(3 * 1024 * 1024); // quarkus.http.limits.max-body-size is 2M
        given().contentType(ContentType.JSON).header("x-request-id", "too-big-1")
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"" + huge + "\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(413).contentType(ContentType.JSON).header("x-request-id", "too-big-1")
                .body("error.code", equalTo("request_too_large"))
                .body("error.message", containsString("larger than 2097152 bytes"));
        given().contentType(ContentType.JSON).body("{\"query\": \"vacuum\", \"top_k\": 1000}")
                .when().post("/v1/retrieve").then().statusCode(400);
    }

    /** Java's HttpClient asks for HTTP/2 (an h2c upgrade carrying the body); the body must still be read once. */
    @Test
    void postsOverAnH2cUpgradeAreAnswered() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://localhost:" + io.restassured.RestAssured.port + "/v1/retrieve"))
                .header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"vacuum\", \"top_k\": 1000}"))
                .build();
        var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        org.assertj.core.api.Assertions.assertThat(response.body()).contains("'top_k' must be between 1 and 100");
    }
}
