package dev.sextant.openai.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.openai.WireFormatException;
import dev.sextant.openai.WireJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Requests and responses both ways, both encodings, and every kind of bad body naming its field. */
class EmbeddingsWireTest {

    private static final List<float[]> VECTORS = vectors(3, 384);

    private static List<float[]> vectors(int count, int dimension) {
        SplittableRandom random = new SplittableRandom(42);
        float[][] out = new float[count][dimension];
        for (float[] v : out) {
            for (int d = 0; d < dimension; d++) {
                v[d] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-8, 3)));
            }
        }
        out[0][0] = Float.MIN_VALUE;
        out[0][1] = -0.0f;
        out[0][2] = Float.MAX_VALUE;
        return List.of(out);
    }

    @Test
    void aRequestRoundTrips() {
        EmbeddingsRequest request = new EmbeddingsRequest(List.of("one", "two"), "m", EncodingFormat.BASE64, 384);
        assertThat(new String(request.toJson(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"input\":[\"one\",\"two\"],\"model\":\"m\",\"encoding_format\":\"base64\",\"dimensions\":384}");
        assertThat(EmbeddingsRequest.parse(request.toJson())).isEqualTo(request);

        EmbeddingsRequest bare = EmbeddingsRequest.of(List.of("x"), null, EncodingFormat.FLOAT);
        assertThat(new String(bare.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"input\":[\"x\"],\"encoding_format\":\"float\"}");
        assertThat(EmbeddingsRequest.parse(bare.toJson())).isEqualTo(bare);
    }

    @Test
    void aRequestMayGiveOneStringAndLeaveOutTheFormat() {
        EmbeddingsRequest request = EmbeddingsRequest.parse(json("{\"input\":\"hello\",\"user\":\"u1\"}"));
        assertThat(request.input()).containsExactly("hello");
        assertThat(request.encodingFormat()).isEqualTo(EncodingFormat.FLOAT);
        assertThat(request.model()).isNull();
        assertThat(request.dimensions()).isNull();
    }

    @Test
    void badRequestsNameTheirField() {
        assertRequestFails("{}", "input", "'input' is required");
        assertRequestFails("{\"input\":7}", "input", "'input' must be a string or an array of strings, got a number");
        assertRequestFails("{\"input\":[\"a\",[1,2]]}", "input", "input[1] must be a string, got an array");
        assertRequestFails("{\"input\":[]}", "input", "'input' must not be empty");
        assertRequestFails("{\"input\":[\"a\",\"\"]}", "input", "input[1] is empty");
        assertRequestFails("{\"input\":\"a\",\"model\":3}", "model", "'model' must be a string, got a number");
        assertRequestFails("{\"input\":\"a\",\"encoding_format\":\"int8\"}", "encoding_format",
                "'encoding_format' must be float or base64, got 'int8'");
        assertRequestFails("{\"input\":\"a\",\"encoding_format\":true}", "encoding_format",
                "'encoding_format' must be a string, got a boolean");
        assertRequestFails("{\"input\":\"a\",\"dimensions\":\"384\"}", "dimensions",
                "'dimensions' must be an integer, got a string");
        assertRequestFails("{\"input\":\"a\",\"dimensions\":0}", "dimensions", "'dimensions' must be at least 1");
        assertRequestFails("[\"a\"]", null, "must be a JSON object, got an array");

        WireFormatException notJson = catchThrowableOfType(WireFormatException.class,
                () -> EmbeddingsRequest.parse("{\"input\": [".getBytes(StandardCharsets.UTF_8)));
        assertThat(notJson).hasMessageContaining("the request body is not JSON");
        WireFormatException trailing = catchThrowableOfType(WireFormatException.class,
                () -> EmbeddingsRequest.parse("{\"input\":\"a\"} {}".getBytes(StandardCharsets.UTF_8)));
        assertThat(trailing).hasMessageContaining("not JSON");
    }

    @Test
    void floatResponsesRoundTripExactly() {
        EmbeddingsResponse response = EmbeddingsResponse.of("all-minilm-l6-v2-q", VECTORS, 17);
        JsonNode wire = json(response.toJson(EncodingFormat.FLOAT));
        assertThat(wire.path("object").asText()).isEqualTo("list");
        assertThat(wire.path("data").get(1).path("object").asText()).isEqualTo("embedding");
        assertThat(wire.path("data").get(1).path("index").asInt()).isEqualTo(1);
        assertThat(wire.path("data").get(1).path("embedding").isArray()).isTrue();
        assertThat(wire.path("usage").path("prompt_tokens").asLong()).isEqualTo(17);
        assertSame(response, EmbeddingsResponse.parse(response.toJson(EncodingFormat.FLOAT), 3));
    }

    @Test
    void base64ResponsesRoundTripExactlyAsLittleEndianFloat32() {
        EmbeddingsResponse response = EmbeddingsResponse.of("m", VECTORS, 5);
        JsonNode wire = json(response.toJson(EncodingFormat.BASE64));
        String text = wire.path("data").get(0).path("embedding").textValue();
        assertThat(text).hasSize(4 * ((384 * 4 + 2) / 3));
        assertSame(response, EmbeddingsResponse.parse(response.toJson(EncodingFormat.BASE64), 3));
        // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F
        assertThat(Float32Base64.encode(new float[] {1.0f})).isEqualTo("AACAPw==");
        assertThat(Float32Base64.decode("AACAPw==")).containsExactly(1.0f);
    }

    @Test
    void responsesArePutInInputOrderByIndex() {
        EmbeddingsResponse response = EmbeddingsResponse.parse(bytes("{\"data\":["
                + "{\"index\":1,\"embedding\":[2.0]},{\"index\":0,\"embedding\":\"AACAPw==\"}],"
                + "\"usage\":{\"total_tokens\":4}}"), 2);
        assertThat(response.vectors()).containsExactly(new float[] {1.0f}, new float[] {2.0f});
        assertThat(response.model()).isNull();
        assertThat(response.promptTokens()).as("total when no prompt count").isEqualTo(4);
    }

    @Test
    void badResponsesNameTheirFieldAndWhetherTheyAreMalformedOrDoNotMatch() {
        assertResponseFails("{\"object\": \"list\", \"da", 1, WireFormatException.Problem.MALFORMED, null,
                "the response is not JSON");
        assertResponseFails("{\"object\":\"list\"}", 1, WireFormatException.Problem.MALFORMED, "data",
                "no 'data' array");
        assertResponseFails("{\"data\":[{\"index\":0,\"embedding\":[1]}]}", 2,
                WireFormatException.Problem.INCONSISTENT, "data", "1 embeddings for 2 inputs");
        assertResponseFails("{\"data\":[{\"index\":1,\"embedding\":[1]},{\"index\":1,\"embedding\":[1]}]}", 2,
                WireFormatException.Problem.INCONSISTENT, "data[1].index", "index 1 twice");
        assertResponseFails("{\"data\":[{\"index\":5,\"embedding\":[1]}]}", 1,
                WireFormatException.Problem.INCONSISTENT, "data[0].index", "index 5 for 1 inputs");
        assertResponseFails("{\"data\":[{\"index\":\"0\",\"embedding\":[1]}]}", 1,
                WireFormatException.Problem.MALFORMED, "data[0].index", "no integer index (got a string)");
        assertResponseFails("{\"data\":[{\"index\":0,\"embedding\":[1,\"2\"]}]}", 1,
                WireFormatException.Problem.MALFORMED, "data[0].embedding", "data[0].embedding[1] is a string");
        assertResponseFails("{\"data\":[{\"index\":0,\"embedding\":{}}]}", 1,
                WireFormatException.Problem.MALFORMED, "data[0].embedding", "neither a float array nor base64");
        assertResponseFails("{\"data\":[{\"index\":0,\"embedding\":\"not base64!\"}]}", 1,
                WireFormatException.Problem.MALFORMED, "data[0].embedding", "broken base64");
        assertResponseFails("{\"data\":[{\"index\":0,\"embedding\":\"AACA\"}]}", 1,
                WireFormatException.Problem.MALFORMED, "data[0].embedding", "3 bytes, not whole float32s");
    }

    @Test
    void unknownEncodingFormatsAreRefusedByName() {
        WireFormatException e = catchThrowableOfType(WireFormatException.class,
                () -> EncodingFormat.fromWire("binary"));
        assertThat(e.field()).isEqualTo("encoding_format");
        assertThat(e).hasMessageContaining("'binary'");
        assertThat(EncodingFormat.fromWire("base64")).isEqualTo(EncodingFormat.BASE64);
    }

    private static void assertRequestFails(String body, String field, String message) {
        WireFormatException e = catchThrowableOfType(WireFormatException.class,
                () -> EmbeddingsRequest.parse(json(body)));
        assertThat(e).as(body).isNotNull().hasMessageContaining(message);
        assertThat(e.field()).as(body).isEqualTo(field);
        assertThat(e.problem()).isEqualTo(WireFormatException.Problem.MALFORMED);
    }

    private static void assertResponseFails(String body, int inputs, WireFormatException.Problem problem,
                                            String field, String message) {
        WireFormatException e = catchThrowableOfType(WireFormatException.class,
                () -> EmbeddingsResponse.parse(bytes(body), inputs));
        assertThat(e).as(body).isNotNull().hasMessageContaining(message);
        assertThat(e.problem()).as(body).isEqualTo(problem);
        assertThat(e.field()).as(body).isEqualTo(field);
    }

    private static void assertSame(EmbeddingsResponse expected, EmbeddingsResponse actual) {
        assertThat(actual.model()).isEqualTo(expected.model());
        assertThat(actual.promptTokens()).isEqualTo(expected.promptTokens());
        assertThat(actual.totalTokens()).isEqualTo(expected.totalTokens());
        assertThat(actual.vectors()).hasSameSizeAs(expected.vectors());
        for (int i = 0; i < expected.vectors().size(); i++) {
            // bit for bit: -0.0 and the smallest subnormal included
            float[] e = expected.vectors().get(i);
            float[] a = actual.vectors().get(i);
            assertThat(a).hasSameSizeAs(e);
            for (int d = 0; d < e.length; d++) {
                assertThat(Float.floatToRawIntBits(a[d])).as("vector %d [%d]", i, d)
                        .isEqualTo(Float.floatToRawIntBits(e[d]));
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(String s) {
        return json(bytes(s));
    }

    private static JsonNode json(byte[] b) {
        return WireJson.parse(b, "test body");
    }
}
