package dev.sextant.app.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** OpenAI's text completion API and the sampling parameters, over a real socket. */
@QuarkusTest
class CompletionRouteTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void completesTextWithUsage() throws Exception {
        String body = given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "The heap queue algorithm", "max_tokens", 7))
                .when().post("/v1/completions").then().statusCode(200).extract().asString();
        JsonNode root = JSON.readTree(body);
        assertThat(root.get("object").asText()).isEqualTo("text_completion");
        assertThat(root.get("id").asText()).startsWith("cmpl-");
        assertThat(root.get("choices").get(0).get("text").asText()).isNotEmpty();
        assertThat(root.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(root.get("usage").get("completion_tokens").asInt()).isEqualTo(7);
        assertThat(root.get("usage").get("prompt_tokens").asInt()).isPositive();
    }

    @Test
    void streamsTextCompletionChunksThenUsageThenDone() throws Exception {
        String body = given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "The heap queue algorithm", "max_tokens", 7, "stream", true,
                        "stream_options", Map.of("include_usage", true)))
                .when().post("/v1/completions").then().statusCode(200)
                .contentType(containsString("text/event-stream")).extract().asString();
        List<JsonNode> events = new ArrayList<>();
        List<String> lines = body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("[DONE]");
        for (String l : lines.subList(0, lines.size() - 1)) {
            events.add(JSON.readTree(l));
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode e : events.subList(0, events.size() - 1)) {
            text.append(e.get("choices").get(0).get("text").asText());
        }
        assertThat(events.get(events.size() - 2).get("choices").get(0).get("finish_reason").asText())
                .isEqualTo("length");
        assertThat(events.get(events.size() - 1).get("usage").get("completion_tokens").asInt()).isEqualTo(7);
        String plain = given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "The heap queue algorithm", "max_tokens", 7))
                .when().post("/v1/completions").then().extract().path("choices[0].text");
        assertThat(text.toString()).isEqualTo(plain);
    }

    @Test
    void seededSamplingIsReproducibleOverHttp() {
        Map<String, Object> request = Map.of("prompt", "Caches are", "max_tokens", 12, "temperature", 1.0,
                "top_p", 0.9, "top_k", 40, "seed", 1234);
        String first = given().contentType(ContentType.JSON).body(request).post("/v1/completions")
                .then().statusCode(200).extract().path("choices[0].text");
        String second = given().contentType(ContentType.JSON).body(request).post("/v1/completions")
                .then().statusCode(200).extract().path("choices[0].text");
        assertThat(second).isEqualTo(first);
    }

    /**
     * vLLM's {@code ignore_eos}: a sampled answer that ends at end-of-sequence runs to {@code max_tokens} instead.
     * The first seed whose answer stops early is searched for, so the test holds for whichever model is installed.
     */
    @Test
    void ignoreEosGeneratesMaxTokensPastEndOfSequence() {
        Integer stoppingSeed = null;
        for (int seed = 1; seed <= 20 && stoppingSeed == null; seed++) {
            if (complete(seed, false).getString("choices[0].finish_reason").equals("stop")) {
                stoppingSeed = seed;
            }
        }
        assertThat(stoppingSeed).as("a seed whose answer ends at end-of-sequence").isNotNull();
        var ignored = complete(stoppingSeed, true);
        assertThat(ignored.getString("choices[0].finish_reason")).isEqualTo("length");
        assertThat(ignored.getInt("usage.completion_tokens")).isEqualTo(100);
        var ended = complete(stoppingSeed, false);
        assertThat(ended.getInt("usage.completion_tokens")).isLessThan(100);
        assertThat(ignored.getString("choices[0].text")).startsWith(ended.getString("choices[0].text"));
    }

    private static JsonPath complete(int seed, boolean ignoreEos) {
        return given().contentType(ContentType.JSON).body(Map.of("prompt",
                        "<|im_start|>user\nSay hello.<|im_end|>\n<|im_start|>assistant\n", "max_tokens", 100,
                        "temperature", 1.0, "seed", seed, "ignore_eos", ignoreEos))
                .when().post("/v1/completions").then().statusCode(200).extract().jsonPath();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "missing prompt | {\"max_tokens\": 3} | 'prompt' is required",
        "empty prompt | {\"prompt\": \"\"} | 'prompt' must not be empty",
        "prompt list of two | {\"prompt\": [\"a\", \"b\"]} | 'prompt' must be a string",
        "echo | {\"prompt\": \"a\", \"echo\": true} | 'echo' is not supported",
        "logprobs as boolean | {\"prompt\": \"a\", \"logprobs\": true} | 'logprobs' must be an integer",
        "logprobs too many | {\"prompt\": \"a\", \"logprobs\": 21} | 'logprobs' must be between 0 and 20",
        "n of two | {\"prompt\": \"a\", \"n\": 2} | 'n' = 2 is not supported",
        "negative temperature | {\"prompt\": \"a\", \"temperature\": -1} | 'temperature' must be between",
        "top_p zero | {\"prompt\": \"a\", \"top_p\": 0} | 'top_p' must be greater than 0",
        "seed as string | {\"prompt\": \"a\", \"seed\": \"x\"} | 'seed' must be an integer",
        "top_k negative | {\"prompt\": \"a\", \"top_k\": -1} | 'top_k' must be between",
        "ignore_eos as string | {\"prompt\": \"a\", \"ignore_eos\": \"yes\"} | 'ignore_eos' must be a boolean",
    })
    void rejects(String name, String body, String message) {
        given().contentType(ContentType.JSON).body(body).when().post("/v1/completions")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString(message));
    }

    @Test
    void legacyLogprobsCoverEveryTokenInOneBodyAndStreamed() throws Exception {
        JsonNode root = JSON.readTree(given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "The heap queue algorithm", "max_tokens", 6, "logprobs", 2))
                .when().post("/v1/completions").then().statusCode(200).extract().asString());
        JsonNode choice = root.get("choices").get(0);
        JsonNode lp = choice.get("logprobs");
        assertThat(lp.get("tokens")).hasSize(6);
        assertThat(lp.get("token_logprobs")).hasSize(6);
        assertThat(lp.get("top_logprobs").get(0).size()).isBetween(1, 2);
        StringBuilder joined = new StringBuilder();
        lp.get("tokens").forEach(t -> joined.append(t.asText()));
        assertThat(joined.toString()).isEqualTo(choice.get("text").asText());
        for (int i = 0; i < 6; i++) {
            assertThat(choice.get("text").asText().substring(lp.get("text_offset").get(i).asInt()))
                    .startsWith(lp.get("tokens").get(i).asText());
        }
        String body = given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "The heap queue algorithm", "max_tokens", 6, "logprobs", 0, "stream", true))
                .when().post("/v1/completions").then().statusCode(200).extract().asString();
        int streamed = 0;
        for (String line : body.lines().filter(l -> l.startsWith("data: {")).toList()) {
            JsonNode l = JSON.readTree(line.substring(6)).path("choices").path(0).path("logprobs");
            streamed += l.path("tokens").size();
        }
        assertThat(streamed).isEqualTo(6);
    }

    @Test
    void chatRefusesSeveralChoices() {
        given().contentType(ContentType.JSON)
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 3}")
                .when().post("/v1/chat/completions").then().statusCode(400)
                .body("error.param", equalTo("n"));
    }
}
