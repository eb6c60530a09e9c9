package dev.sextant.embeddings.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;
import dev.sextant.embeddings.EmbeddingServiceException;
import dev.sextant.embeddings.EmbeddingServiceException.Kind;
import dev.sextant.embeddings.Vectors;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The remote client against a real HTTP socket served by a real local model. */
class HttpEmbeddingModelTest {

    static List<String> sentences;
    static OnnxEmbeddingModel local;

    LoopbackEmbeddingsServer server;

    @BeforeAll
    static void loadModel() throws IOException {
        try (InputStream in = HttpEmbeddingModelTest.class.getResourceAsStream("/sentences.txt")) {
            sentences = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        local = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), EmbedderOptions.defaults());
    }

    @AfterAll
    static void closeModel() {
        local.close();
    }

    @BeforeEach
    void startServer() throws IOException {
        server = new LoopbackEmbeddingsServer(local);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    HttpEmbeddingOptions options() {
        return HttpEmbeddingOptions.of(server.baseUri(), local.name(), local.dimension());
    }

    @Test
    void remoteVectorsEqualLocalOnesInBase64() {
        List<String> texts = sentences.subList(0, 20);
        try (var remote = new HttpEmbeddingModel(options())) {
            assertSameAsLocal(texts, remote.embed(new EmbeddingRequest(texts)));
        }
        assertThat(server.seen()).singleElement()
                .satisfies(seen -> assertThat(seen.body().path("encoding_format").asText()).isEqualTo("base64"))
                .satisfies(seen -> assertThat(seen.body().path("model").asText()).isEqualTo(local.name()));
    }

    @Test
    void floatArraysAreReadTooWhenAServerIgnoresTheFormat() {
        server.ignoreEncodingFormat = true;
        List<String> texts = sentences.subList(20, 40);
        try (var remote = new HttpEmbeddingModel(options())) {
            assertSameAsLocal(texts, remote.embed(new EmbeddingRequest(texts)));
        }
    }

    @Test
    void largeRequestsGoInSlicesAndComeBackInOrderWithTokensSummed() {
        List<String> texts = sentences.subList(40, 50);
        try (var remote = new HttpEmbeddingModel(options().withMaxInputsPerRequest(3))) {
            EmbeddingResult result = remote.embed(new EmbeddingRequest(texts));
            assertSameAsLocal(texts, result);
        }
        assertThat(server.seen()).extracting(LoopbackEmbeddingsServer.Seen::inputs).containsExactly(3, 3, 3, 1);
    }

    @Test
    void anEmptyRequestSendsNothing() {
        try (var remote = new HttpEmbeddingModel(options())) {
            EmbeddingResult result = remote.embed(new EmbeddingRequest(List.of()));
            assertThat(result.vectors()).isEmpty();
            assertThat(result.tokenCount()).isZero();
        }
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void theApiKeyGoesAsABearerTokenAndOnlyWhenSet() {
        try (var keyed = new HttpEmbeddingModel(options().withApiKey("sk-test-123"));
             var anonymous = new HttpEmbeddingModel(options())) {
            keyed.embed(EmbeddingRequest.of("hello"));
            anonymous.embed(EmbeddingRequest.of("hello"));
        }
        assertThat(server.seen()).extracting(LoopbackEmbeddingsServer.Seen::authorization)
                .containsExactly("Bearer sk-test-123", null);
        assertThat(options().withApiKey("sk-test-123").toString()).doesNotContain("sk-test-123");
    }

    @Test
    void anotherModelNameIsRefused() {
        server.reportedModel = "some-other-model";
        EmbeddingServiceException e = failure(options(), "hello");
        assertThat(e.kind()).isEqualTo(Kind.INCOMPATIBLE);
        assertThat(e.retryable()).isFalse();
        assertThat(e).hasMessageContaining("some-other-model").hasMessageContaining(local.name())
                .hasMessageContaining(server.baseUri() + "/v1/embeddings");
    }

    @Test
    void vectorsOfAnotherLengthAreRefused() {
        EmbeddingServiceException configured768 = failure(new HttpEmbeddingOptions(server.baseUri(), local.name(),
                768, null, Duration.ofSeconds(5), Duration.ofSeconds(30), 256), "hello");
        assertThat(configured768.kind()).isEqualTo(Kind.INCOMPATIBLE);
        assertThat(configured768).hasMessageContaining("384-dimensional").hasMessageContaining("dimension 768");

        server.truncateVectorsTo = 100;
        assertThat(failure(options(), "hello")).hasMessageContaining("100-dimensional")
                .hasMessageContaining("dimension 384");
    }

    @Test
    void aBadRequestIsRejectedWithTheServersMessage() {
        EmbeddingServiceException e = failure(options(), "fine", "");
        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("input[1] is empty").hasMessageContaining(server.baseUri().toString());
    }

    @Test
    void rateLimitingIsOverloadedWithRetryAfter() {
        server.canned = new LoopbackEmbeddingsServer.Canned(429,
                LoopbackEmbeddingsServer.error("rate limit reached for key k1", null), Map.of("Retry-After", "7"));
        EmbeddingServiceException e = failure(options(), "hello");
        assertThat(e.kind()).isEqualTo(Kind.OVERLOADED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfterSeconds()).hasValue(7);
        assertThat(e).hasMessageContaining("rate limit reached for key k1");
    }

    @Test
    void serverErrorsAreUnavailable() {
        server.canned = new LoopbackEmbeddingsServer.Canned(503, "upstream connect error", Map.of());
        EmbeddingServiceException e = failure(options(), "hello");
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(503);
        assertThat(e).hasMessageContaining("503").hasMessageContaining("upstream connect error");
    }

    @Test
    void brokenBodiesAreUnavailableAndMissingIndicesIncompatible() {
        server.canned = new LoopbackEmbeddingsServer.Canned(200, "{\"object\": \"list\", \"da", Map.of());
        assertThat(failure(options(), "hello").kind()).isEqualTo(Kind.UNAVAILABLE);

        server.canned = new LoopbackEmbeddingsServer.Canned(200, "{\"data\": [{\"index\": 1, \"embedding\": [1.0]}, "
                + "{\"index\": 1, \"embedding\": [1.0]}], \"model\": \"" + local.name() + "\"}", Map.of());
        EmbeddingServiceException e = failure(options(), "a", "b");
        assertThat(e.kind()).isEqualTo(Kind.INCOMPATIBLE);
        assertThat(e).hasMessageContaining("index 1 twice");
    }

    @Test
    void aClosedPortIsUnavailable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + port);
        EmbeddingServiceException e = failure(HttpEmbeddingOptions.of(nobody, local.name(), 384), "hello");
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.status()).isZero();
        assertThat(e).hasMessageContaining(nobody + "/v1/embeddings");
    }

    @ParameterizedTest
    @EnumSource(value = LoopbackEmbeddingsServer.Stall.class, names = {"BEFORE_HEADERS", "MID_BODY"})
    void aStalledServerIsUnavailableAfterTheRequestTimeout(LoopbackEmbeddingsServer.Stall stall) {
        server.stall = stall;
        var quick = options().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500));
        EmbeddingServiceException e = failure(quick, "hello");
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e).hasMessageContaining(server.baseUri().toString());
    }

    @Test
    void probeLearnsTheModelNameAndDimension() {
        HttpEmbeddingOptions probed = HttpEmbeddingModel.probe(server.baseUri(), "sk-probe", Duration.ofSeconds(10));
        assertThat(probed.model()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(probed.dimension()).isEqualTo(384);
        assertThat(probed.apiKey()).isEqualTo("sk-probe");
        assertThat(server.seen()).singleElement()
                .satisfies(seen -> assertThat(seen.body().has("model")).as("probe names no model").isFalse());
        try (var remote = new HttpEmbeddingModel(probed)) {
            assertSameAsLocal(List.of("probed, then used"), remote.embed(EmbeddingRequest.of("probed, then used")));
        }
    }

    @Test
    void theEndpointIsFoundUnderBaseUrisWithOrWithoutV1() {
        assertThat(HttpEmbeddingOptions.of(URI.create("http://embeddings:8091"), "m", 3).embeddingsUri())
                .hasToString("http://embeddings:8091/v1/embeddings");
        assertThat(HttpEmbeddingOptions.of(URI.create("https://api.example.com/v1/"), "m", 3).embeddingsUri())
                .hasToString("https://api.example.com/v1/embeddings");
        assertThat(HttpEmbeddingOptions.of(URI.create("http://gateway/sextant/"), "m", 3).embeddingsUri())
                .hasToString("http://gateway/sextant/v1/embeddings");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsADate() {
        assertThat(EmbeddingsEndpoint.retryAfterSeconds("12")).isEqualTo(12);
        assertThat(EmbeddingsEndpoint.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
        assertThat(EmbeddingsEndpoint.retryAfterSeconds("soon")).isNegative();
    }

    private static EmbeddingServiceException failure(HttpEmbeddingOptions options, String... texts) {
        try (var remote = new HttpEmbeddingModel(options)) {
            Throwable thrown = catchThrowable(() -> remote.embed(EmbeddingRequest.of(texts)));
            assertThat(thrown).isInstanceOf(EmbeddingServiceException.class);
            return (EmbeddingServiceException) thrown;
        }
    }

    private static void assertSameAsLocal(List<String> texts, EmbeddingResult remote) {
        EmbeddingResult expected = local.embed(new EmbeddingRequest(texts));
        assertThat(remote.vectors()).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(Vectors.cosine(remote.vectors().get(i), expected.vectors().get(i))).as(texts.get(i))
                    .isGreaterThan(0.99999f);
        }
        assertThat(remote.tokenCount()).isEqualTo(expected.tokenCount());
    }
}
