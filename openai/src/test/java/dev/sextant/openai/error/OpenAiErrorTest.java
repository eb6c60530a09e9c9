package dev.sextant.openai.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiErrorTest {

    @Test
    void theBodyHasAllFourFieldsInOpenAisOrder() {
        assertThat(OpenAiError.invalidRequest("input", "'input' is required").toJson())
                .isEqualTo("{\"error\":{\"message\":\"'input' is required\",\"type\":\"invalid_request_error\","
                        + "\"param\":\"input\",\"code\":null}}");
    }

    @Test
    void whatIsEncodedParsesBackEqual() {
        OpenAiError error = new OpenAiError("rate limit reached for key k1 \"quoted\"", OpenAiError.RATE_LIMIT,
                null, "overloaded");
        assertThat(OpenAiError.parse(error.toJsonBytes())).contains(error);
        assertThat(OpenAiError.parse(error.toJson())).contains(error);
        assertThat(OpenAiError.from(error.toJsonNode())).contains(error);
    }

    @Test
    void otherServersShapesAreReadToo() {
        assertThat(OpenAiError.parse("{\"error\":\"quota exceeded\"}"))
                .contains(new OpenAiError("quota exceeded", null, null, null));
        // a numeric code (some servers put the HTTP status there) is kept as text
        assertThat(OpenAiError.parse("{\"error\":{\"message\":\"slow down\",\"code\":429}}"))
                .contains(new OpenAiError("slow down", null, null, "429"));
        // the data of an "event: error": the error object itself
        assertThat(OpenAiError.parse("{\"message\":\"boom\",\"type\":\"server_error\"}"))
                .contains(new OpenAiError("boom", "server_error", null, null));
    }

    @Test
    void bodiesThatAreNoErrorGiveNone() {
        assertThat(OpenAiError.parse("<html>502 Bad Gateway</html>")).isEmpty();
        assertThat(OpenAiError.parse("{\"data\":[]}")).isEmpty();
        assertThat(OpenAiError.parse("[1,2]")).isEmpty();
        assertThat(OpenAiError.parse("")).isEmpty();
    }

    @Test
    void describeGivesTheMessageOrTheStartOfTheBody() {
        assertThat(OpenAiError.describe(bytes("{\"error\":{\"message\":\"input[1] is empty\"}}")))
                .isEqualTo("input[1] is empty");
        assertThat(OpenAiError.describe(bytes("<html>\n  <body>502   Bad Gateway</body>\n</html>\n")))
                .isEqualTo("<html> <body>502 Bad Gateway</body> </html>");
        assertThat(OpenAiError.describe(bytes("  "))).isEqualTo("(empty body)");
        assertThat(OpenAiError.describe(bytes("x".repeat(500)))).hasSize(OpenAiError.QUOTED_CHARS + 3)
                .endsWith("...");
        assertThat(OpenAiError.describe(bytes("{\"error\":{\"message\":\"\"}}")))
                .as("a blank message says nothing; show the body").contains("\"message\"");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
