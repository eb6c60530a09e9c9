package dev.sextant.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.ingestion.IngestRequest;
import dev.sextant.ingestion.Ingestor;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A client no one here wrote: the official {@code openai} Python package (with Pydantic), from the venv
 * {@code scripts/test-tools.sh install} keeps in the cache, against this server over a real socket. Under
 * {@code ./sextant test} the venv must be there ({@code SEXTANT_REQUIRE_CLIENTS=1}); elsewhere the test is skipped
 * without it.
 */
@QuarkusTest
class OpenAiPythonClientTest {

    static Path python() {
        String explicit = System.getenv("SEXTANT_OPENAI_PYTHON");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String cache = System.getenv().getOrDefault("SEXTANT_CACHE_DIR",
                System.getProperty("user.home") + "/.cache/sextant");
        return Path.of(cache, "openai-venv", "bin", "python");
    }

    @Inject
    Ingestor ingestor;

    @Test
    void structuredOutputsThroughTheOfficialClient() throws Exception {
        // The log-probability checks ask what the git samples answer (an uncovered question gets the refusal text).
        assertThat(ingestor.ingest(new IngestRequest(List.of(Path.of("..", "samples", "corpus")
                .toAbsolutePath().normalize()), "default")).failures()).isEmpty();
        Path python = python();
        if (!Files.isExecutable(python)) {
            String why = "no openai venv at " + python + " (scripts/test-tools.sh install makes it)";
            assertThat("1".equals(System.getenv("SEXTANT_REQUIRE_CLIENTS"))).as(why).isFalse();
            Assumptions.abort(why);
        }
        Path script = Path.of(getClass().getResource("/clients/openai_client_check.py").toURI());
        Process process = new ProcessBuilder(python.toString(), script.toString(),
                "http://localhost:" + RestAssured.port + "/v1").redirectErrorStream(true).start();
        boolean done = process.waitFor(300, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            process.destroyForcibly();
        }
        assertThat(done).as("the client finished: " + output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        JsonNode seen = new ObjectMapper().readTree(last);
        assertThat(seen.get("parse").get("kind").asText()).isIn("fix", "feature", "chore");
        assertThat(seen.get("stream_deltas").asInt()).isGreaterThan(1);
        assertThat(seen.get("json_object").asBoolean()).isTrue();
        assertThat(seen.get("tools_refused").asBoolean()).isTrue();
        assertThat(seen.get("logprobs").asInt()).isPositive();
        assertThat(seen.get("streamed_logprobs").asInt()).isPositive();
    }
}
