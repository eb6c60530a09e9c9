package dev.sextant.app.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.ingestion.IngestRequest;
import dev.sextant.ingestion.Ingestor;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code logprobs} and {@code top_logprobs} over a real socket, in one body and streamed. */
@QuarkusTest
class LogprobsRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Ingestor ingestor;

    /** The question is one the git samples answer, so the model writes the answer (not the refusal text). */
    @BeforeEach
    void samples() {
        assertThat(ingestor.ingest(new IngestRequest(List.of(Path.of("..", "samples", "corpus")
                .toAbsolutePath().normalize()), "default")).failures()).isEmpty();
    }

    private static Map<String, Object> request(boolean stream) {
        return Map.of("messages", List.of(Map.of("role", "user", "content", "How do I rebase a branch onto main?")),
                "max_tokens", 8, "logprobs", true, "top_logprobs", 3, "stream", stream);
    }

    /** Every entry: a token whose bytes spell it, a log-probability, and three alternatives, most likely first. */
    private static void assertWellFormed(JsonNode content) {
        for (JsonNode t : content) {
            assertThat(t.get("logprob").asDouble()).isLessThanOrEqualTo(0.0);
            byte[] bytes = new byte[t.get("bytes").size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) t.get("bytes").get(i).asInt();
            }
            assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(t.get("token").asText());
            JsonNode top = t.get("top_logprobs");
            assertThat(top).hasSize(3);
            assertThat(top.get(0).get("logprob").asDouble()).isGreaterThanOrEqualTo(top.get(1).get("logprob")
                    .asDouble());
            // Greedy (temperature 0 by default): the token is the most likely one.
            assertThat(top.get(0).get("token").asText()).isEqualTo(t.get("token").asText());
        }
    }

    @Test
    void eachTokenComesWithItsLogprobAndAlternatives() throws Exception {
        JsonNode body = JSON.readTree(given().contentType(ContentType.JSON).body(request(false))
                .when().post("/v1/chat/completions").then().statusCode(200).extract().asString());
        JsonNode choice = body.get("choices").get(0);
        JsonNode content = choice.get("logprobs").get("content");
        assertThat(content).hasSize(body.get("usage").get("completion_tokens").asInt()).isNotEmpty();
        assertWellFormed(content);
        // Without the option: none (OpenAI writes "logprobs": null; clients read both alike).
        JsonNode plain = JSON.readTree(given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(Map.of("role", "user", "content", "Hi")), "max_tokens", 2))
                .when().post("/v1/chat/completions").then().statusCode(200).extract().asString());
        assertThat(plain.get("choices").get(0).path("logprobs").isMissingNode()).isTrue();
    }

    @Test
    void streamedChunksCarryTheLogprobsOfTheirTokens() throws Exception {
        String body = given().contentType(ContentType.JSON).body(request(true))
                .when().post("/v1/chat/completions").then().statusCode(200).extract().asString();
        int tokens = 0;
        for (String line : body.lines().filter(l -> l.startsWith("data: {")).toList()) {
            JsonNode choice = JSON.readTree(line.substring(6)).path("choices").path(0);
            JsonNode content = choice.path("logprobs").path("content");
            assertWellFormed(content);
            tokens += content.size();
        }
        JsonNode once = JSON.readTree(given().contentType(ContentType.JSON).body(request(false))
                .when().post("/v1/chat/completions").then().statusCode(200).extract().asString());
        assertThat(tokens).isEqualTo(once.get("choices").get(0).get("logprobs").get("content").size());
    }
}
