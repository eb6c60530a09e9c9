package dev.sextant.app.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenAI's embeddings API over a real socket. */
@QuarkusTest
class EmbeddingsRouteTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void embedsStringsInOrderWithUsage() throws Exception {
        String body = given().contentType(ContentType.JSON)
                .body(Map.of("input", List.of("How do heaps work?", "Binary heaps keep the smallest item first.",
                        "The weather is sunny."), "model", "all-minilm-l6-v2-q"))
                .when().post("/v1/embeddings").then().statusCode(200).extract().asString();
        JsonNode root = JSON.readTree(body);
        assertThat(root.get("object").asText()).isEqualTo("list");
        assertThat(root.get("model").asText()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(root.get("usage").get("prompt_tokens").asInt()).isPositive();
        JsonNode data = root.get("data");
        assertThat(data).hasSize(3);
        double[][] v = new double[3][];
        for (int i = 0; i < 3; i++) {
            assertThat(data.get(i).get("index").asInt()).isEqualTo(i);
            JsonNode e = data.get(i).get("embedding");
            assertThat(e).hasSize(384);
            v[i] = new double[384];
            for (int d = 0; d < 384; d++) {
                v[i][d] = e.get(d).asDouble();
            }
        }
        assertThat(dot(v[0], v[1])).isGreaterThan(dot(v[0], v[2]));
        assertThat(dot(v[0], v[0])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void base64EncodingCarriesTheSameFloats() throws Exception {
        JsonNode asFloats = JSON.readTree(given().contentType(ContentType.JSON).body(Map.of("input", "heap"))
                .post("/v1/embeddings").then().statusCode(200).extract().asString());
        JsonNode asBase64 = JSON.readTree(given().contentType(ContentType.JSON)
                .body(Map.of("input", "heap", "encoding_format", "base64"))
                .post("/v1/embeddings").then().statusCode(200).extract().asString());
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(asBase64.get("data").get(0).get("embedding")
                .asText())).order(ByteOrder.LITTLE_ENDIAN);
        JsonNode floats = asFloats.get("data").get(0).get("embedding");
        for (int d = 0; d < 384; d++) {
            assertThat((double) bytes.getFloat()).isEqualTo((double) (float) floats.get(d).asDouble());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "missing input | {} | 'input' is required",
        "empty list | {\"input\": []} | 'input' must not be empty",
        "empty string | {\"input\": [\"ok\", \"\"]} | input[1] is empty",
        "token arrays | {\"input\": [[1, 2, 3]]} | token arrays are not supported",
        "number | {\"input\": 5} | 'input' must be a string or an array of strings, got a number",
        "bad format | {\"input\": \"x\", \"encoding_format\": \"hex\"} | 'encoding_format' must be float or base64",
        "other dimensions | {\"input\": \"x\", \"dimensions\": 256} | 'dimensions' must be 384",
    })
    void rejects(String name, String body, String message) {
        given().contentType(ContentType.JSON).body(body).when().post("/v1/embeddings")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString(message));
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
