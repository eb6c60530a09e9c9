package dev.sextant.app.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.ingestion.IngestRequest;
import dev.sextant.ingestion.Ingestor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The response cache through the real chat route: a paraphrase is served from cache, a streamed request replays the
 * cached answer as SSE, and re-ingesting the cited document makes the next request generate again.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class CacheEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Ingestor ingestor;

    static JsonNode ask(String question) throws Exception {
        return converse(List.of(Map.of("role", "user", "content", question)));
    }

    @Test
    void paraphraseHitStreamReplayAndInvalidationAfterReingest() throws Exception {
        String name = uniqueName("Skerry");
        Path doc = ingestPage("sextant-cache-e2e", "lighthouse.md", "# Lighthouse keeping\n\nThe " + name
                + " lighthouse keeper winds the clockwork of the lamp every four hours and logs the weather in the "
                + "station book.\n");

        JsonNode first = ask("How often does the " + name + " lighthouse keeper wind the lamp clockwork?");
        assertThat(first.get("cached").asBoolean()).isFalse();
        assertThat(first.get("citations").get(0).get("source").asText()).isEqualTo("lighthouse.md");

        JsonNode paraphrase = ask("How frequently does the " + name + " lighthouse keeper wind the lamp clockwork?");
        assertThat(paraphrase.get("cached").asBoolean()).isTrue();
        assertThat(paraphrase.at("/choices/0/message/content").asText())
                .isEqualTo(first.at("/choices/0/message/content").asText());

        String sse = given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(Map.of("role", "user",
                        "content", "How often does the " + name + " lighthouse keeper wind the lamp clockwork?")),
                        "max_tokens", 6, "temperature", 0, "stream", true))
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        StringBuilder streamed = new StringBuilder();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = JSON.readTree(line.substring(6));
                JsonNode content = chunk.at("/choices/0/delta/content");
                if (!content.isMissingNode()) {
                    streamed.append(content.asText());
                }
            }
        }
        assertThat(sse).contains("data: [DONE]").contains("lighthouse.md");
        assertThat(streamed.toString()).isEqualTo(first.at("/choices/0/message/content").asText());

        // The cited document changes: the cached answer may be wrong now and must not be served.
        Files.writeString(doc, "# Lighthouse keeping\n\nSince automation in 2001 the " + name + " lamp clockwork is "
                + "wound by a motor; no keeper lives at the station.\n");
        ingest(doc.getParent());
        JsonNode after = ask("How often does the " + name + " lighthouse keeper wind the lamp clockwork?");
        assertThat(after.get("cached").asBoolean()).isFalse();
    }

    static JsonNode converse(List<Map<String, String>> messages) throws Exception {
        return chat(Map.of("messages", messages, "max_tokens", 6, "temperature", 0));
    }

    static JsonNode chat(Map<String, Object> body) throws Exception {
        return JSON.readTree(given().contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions").then().statusCode(200).extract().asString());
    }

    /** A name of its own per run: a Redis-backed cache outlives test runs. */
    static String uniqueName(String stem) {
        return stem + Long.toString(System.nanoTime() % 1_000_000L, 36).replaceAll("[0-9]", "q");
    }

    /** Writes one page into a new directory and ingests that directory into the default tenant. */
    private Path ingestPage(String directoryPrefix, String file, String text) throws Exception {
        Path doc = Files.createTempDirectory(directoryPrefix).resolve(file);
        Files.writeString(doc, text);
        ingest(doc.getParent());
        return doc;
    }

    private void ingest(Path corpus) {
        assertThat(ingestor.ingest(new IngestRequest(List.of(corpus), "default")).failures()).isEmpty();
    }

    @Test
    void aFollowUpIsNeverServedTheAnswerOfTheQuestionItContinues() throws Exception {
        String name = uniqueName("Holm");
        ingestPage("sextant-cache-followup", "ferry.md", "# Ferry timetable\n\nThe " + name + " ferry leaves the "
                + "harbour at seven every morning and returns at noon. Bicycles ride free; cars pay twelve euros.\n");

        String question = "When does the " + name + " ferry leave the harbour?";
        JsonNode first = ask(question);
        assertThat(first.get("cached").asBoolean()).isFalse();
        List<Map<String, String>> followUp = List.of(Map.of("role", "user", "content", question),
                Map.of("role", "assistant", "content", first.at("/choices/0/message/content").asText()),
                Map.of("role", "user", "content", "And on Sundays?"));
        // Folded, the follow-up reads "When does ... leave the harbour? And on Sundays?": its embedding is within
        // the semantic layer's similarity of the cached question (the ferry page says nothing of Sundays).
        JsonNode answer = converse(followUp);
        assertThat(answer.get("cached").asBoolean()).as("the follow-up got its first question's answer").isFalse();
        // The same conversation again: the exact layer knows it.
        assertThat(converse(followUp).get("cached").asBoolean()).isTrue();
        // And the first question still gets its own answer, not the follow-up's.
        JsonNode again = ask(question);
        assertThat(again.get("cached").asBoolean()).isTrue();
        assertThat(again.at("/choices/0/message/content").asText())
                .isEqualTo(first.at("/choices/0/message/content").asText());
    }

    @Test
    void anAnswerMadeUnderOneResponseFormatIsNeverServedUnderAnother() throws Exception {
        String name = uniqueName("Voe");
        ingestPage("sextant-cache-format", "mill.md", "# Tide mill\n\nThe " + name + " tide mill grinds oats on the "
                + "ebb tide and stands still at slack water; its wheel turns eleven times a minute.\n");
        String question = "How many times a minute does the " + name + " tide mill wheel turn?";
        assertThat(ask(question).get("cached").asBoolean()).isFalse();
        Map<String, Object> json = Map.of("messages", List.of(Map.of("role", "user", "content", question)),
                "max_tokens", 6, "temperature", 0, "response_format", Map.of("type", "json_object"));
        JsonNode structured = chat(json);
        assertThat(structured.get("cached").asBoolean()).as("the text answer served to a JSON request").isFalse();
        assertThat(JSON.readTree(structured.at("/choices/0/message/content").asText()).isObject()).isTrue();
        // Each is served its own from then on.
        assertThat(chat(json).get("cached").asBoolean()).isTrue();
        assertThat(ask(question).get("cached").asBoolean()).isTrue();
    }
}
