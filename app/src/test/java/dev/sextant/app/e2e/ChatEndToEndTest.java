package dev.sextant.app.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.ingestion.IngestRequest;
import dev.sextant.ingestion.Ingestor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton over a real HTTP socket: the sample corpus is ingested with the real embedder into a fresh
 * data dir, then retrieval and chat (JSON and SSE) run through the real decoder.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ChatEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static boolean ingested;

    @Inject
    Ingestor ingestor;

    @BeforeEach
    void ingestOnce() {
        if (!ingested) {
            var report = ingestor.ingest(new IngestRequest(List.of(SampleCorpus.corpus()), "default"));
            assertThat(report.failures()).isEmpty();
            // Other test classes of this run may have ingested the same samples already.
            assertThat(report.ingested() + report.unchanged()).isGreaterThanOrEqualTo(5);
            ingested = true;
        }
    }

    static Map<String, Object> chat(String question, int maxTokens, boolean stream) {
        return Map.of("messages", List.of(Map.of("role", "user", "content", question)), "max_tokens", maxTokens,
                "stream", stream);
    }

    @Test
    void retrievePutsTheRightSourceFirst() throws Exception {
        List<SampleCorpus.Question> questions = SampleCorpus.answerableQuestions();
        assertThat(questions).hasSizeGreaterThanOrEqualTo(5);
        List<String> misses = new ArrayList<>();
        for (var q : questions) {
            String body = given().contentType(ContentType.JSON).body(Map.of("query", q.question(), "top_k", 3))
                    .when().post("/v1/retrieve").then().statusCode(200).extract().asString();
            JsonNode results = JSON.readTree(body).get("results");
            assertThat(results).hasSizeBetween(1, 3);
            assertThat(results.get(0).get("text").asText()).isNotBlank();
            assertThat(results.get(0).get("chunk_id").asText()).isNotBlank();
            if (!results.get(0).get("source").asText().equals(q.source())) {
                misses.add(q.question() + " -> " + results.get(0).get("source").asText() + " (want " + q.source()
                        + ")");
            }
        }
        assertThat(misses).as("questions whose gold source was not ranked first").isEmpty();
    }

    @Test
    void everyRetrievalModeFindsTheVacuumPage() throws Exception {
        for (String mode : List.of("dense", "keyword", "hybrid")) {
            String body = given().contentType(ContentType.JSON)
                    .body(Map.of("query", "VACUUM dead tuples autovacuum", "top_k", 2, "mode", mode))
                    .when().post("/v1/retrieve").then().statusCode(200).extract().asString();
            assertThat(JSON.readTree(body).get("results").get(0).get("source").asText()).as(mode)
                    .isEqualTo("postgresql/vacuum.html");
        }
    }

    @Test
    void chatAnswersWithCitationsAndUsage() throws Exception {
        var q = SampleCorpus.answerableQuestions().get(0);
        String body = given().contentType(ContentType.JSON).body(chat(q.question(), 16, false))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-request-id", org.hamcrest.Matchers.notNullValue())
                .extract().asString();
        JsonNode root = JSON.readTree(body);
        assertThat(root.get("object").asText()).isEqualTo("chat.completion");
        assertThat(root.get("id").asText()).startsWith("chatcmpl-");
        JsonNode choice = root.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isNotEmpty();
        assertThat(choice.get("finish_reason").asText()).isIn("stop", "length");
        JsonNode usage = root.get("usage");
        assertThat(usage.get("completion_tokens").asInt()).isBetween(1, 16);
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
        JsonNode citations = root.get("citations");
        assertThat(citations).isNotEmpty();
        assertThat(citations.get(0).get("source").asText()).isEqualTo(q.source());
        assertThat(citations.get(0).get("chunk_id").asText()).isNotBlank();
        assertThat(citations.get(0).get("score").asDouble()).isGreaterThan(0);
        assertThat(root.get("answerable").asBoolean()).isTrue();
    }

    @Test
    void aQuestionTheDocumentsDoNotCoverIsRefusedWithoutTheModel() throws Exception {
        double before = refusals();
        String body = given().contentType(ContentType.JSON).body(chat("Who painted the ceiling of the Sistine Chapel?",
                        16, false)).when().post("/v1/chat/completions").then().statusCode(200).extract().asString();
        JsonNode root = JSON.readTree(body);
        assertThat(root.get("answerable").asBoolean()).isFalse();
        assertThat(root.get("choices").get(0).get("message").get("content").asText())
                .isEqualTo("The documents do not cover this question, so I cannot answer it from them.");
        assertThat(root.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        assertThat(root.get("citations")).isEmpty();
        assertThat(root.get("usage").get("prompt_tokens").asInt()).as("no model call").isZero();
        assertThat(root.get("cached").asBoolean()).isFalse();
        assertThat(refusals()).isEqualTo(before + 1);

        String stream = given().contentType(ContentType.JSON).body(chat("What is 2+3?", 16, true))
                .when().post("/v1/chat/completions").then().statusCode(200).extract().asString();
        StringBuilder text = new StringBuilder();
        JsonNode tail = null;
        for (String line : stream.split("\n")) {
            if (!line.startsWith("data: {")) {
                continue;
            }
            JsonNode chunk = JSON.readTree(line.substring(6));
            if (chunk.has("citations")) {
                tail = chunk;
            } else if (chunk.get("choices").get(0).get("delta").has("content")) {
                text.append(chunk.get("choices").get(0).get("delta").get("content").asText());
            }
        }
        assertThat(text.toString()).startsWith("The documents do not cover this question");
        assertThat(tail).isNotNull();
        assertThat(tail.get("answerable").asBoolean()).isFalse();
        assertThat(tail.get("citations")).isEmpty();
    }

    @Test
    void aFollowUpIsRetrievedAsTheQuestionItContinues() throws Exception {
        JsonNode root = followUp("How do I squash my last three git commits into one?",
                "Run an interactive rebase and mark them as squash.",
                "And how do I get out of it if it goes wrong halfway?");
        assertThat(root.get("answerable").asBoolean()).isTrue();
        assertThat(root.get("citations").get(0).get("source").asText()).isEqualTo("git/rebase.md");
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("sextant_query_rewrites_total{method=\"folded\"");
    }

    @Test
    void aFollowUpThatNamesWhatTheDocumentsDoNotKnowIsRefusedThoughItsSubjectIsCovered() throws Exception {
        double before = refusals();
        // Folded, the query matches the expiry passages at a cosine of ~0.73, above the confident threshold at which
        // a first question may name an unknown term; the follow-up's own "Upstash" is what the documents lack.
        JsonNode root = followUp("How does Redis expire keys with a TTL?",
                "Lazily on access, and by sampling keys in the background.",
                "And how much does that cost on Upstash?");
        assertThat(root.get("answerable").asBoolean()).isFalse();
        assertThat(root.get("citations")).isEmpty();
        assertThat(root.get("choices").get(0).get("message").get("content").asText())
                .startsWith("The documents do not cover this question");
        assertThat(refusals()).isEqualTo(before + 1);
    }

    /** The chat answer to {@code followUp} after one question and its answer (8 tokens at most). */
    private static JsonNode followUp(String question, String answer, String followUp) throws Exception {
        var messages = List.of(Map.of("role", "user", "content", question),
                Map.of("role", "assistant", "content", answer), Map.of("role", "user", "content", followUp));
        return JSON.readTree(given().contentType(ContentType.JSON).body(Map.of("messages", messages, "max_tokens", 8))
                .when().post("/v1/chat/completions").then().statusCode(200).extract().asString());
    }

    private static double refusals() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("sextant_answerability_total{")
                        && l.contains("decision=\"unanswerable\"") && l.contains("mode=\"refuse\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void streamingSendsOpenAiChunksThenCitationsThenDone() throws Exception {
        var q = SampleCorpus.answerableQuestions().get(1);
        String body = given().contentType(ContentType.JSON).body(chat(q.question(), 12, true))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).contentType(containsString("text/event-stream"))
                .extract().asString();
        List<String> events = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6));
            }
        }
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonNode first = JSON.readTree(events.get(0));
        assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode citations = null;
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = JSON.readTree(event);
            assertThat(chunk.get("id").asText()).isEqualTo(first.get("id").asText());
            if (chunk.has("citations")) {
                citations = chunk.get("citations");
                continue;
            }
            JsonNode choice = chunk.get("choices").get(0);
            if (choice.get("delta").has("content")) {
                text.append(choice.get("delta").get("content").asText());
            }
            if (!choice.get("finish_reason").isNull()) {
                finish = choice.get("finish_reason").asText();
            }
        }
        assertThat(text.toString()).isNotEmpty();
        assertThat(finish).isIn("stop", "length");
        assertThat(citations).isNotNull().isNotEmpty();
        assertThat(citations.get(0).get("source").asText()).isEqualTo(q.source());

        // The same question without streaming gives the same greedy text (served from the cache now).
        String json = given().contentType(ContentType.JSON).body(chat(q.question(), 12, false))
                .when().post("/v1/chat/completions").then().statusCode(200).extract().asString();
        JsonNode again = JSON.readTree(json);
        assertThat(again.get("choices").get(0).get("message").get("content").asText()).isEqualTo(text.toString());
        assertThat(again.get("cached").asBoolean()).isTrue();
    }

    @Test
    void modelsHealthAndMetricsAnswer() {
        given().when().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list")).body("data[0].id", equalTo("sextant-tiny-chat"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks[0].data.chat_model", equalTo("sextant-tiny-chat"));
        given().contentType(ContentType.JSON).body(chat("warm the counters", 1, false)).post("/v1/chat/completions")
                .then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("sextant_cache_lookups_total"));
    }
}
