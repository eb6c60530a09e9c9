package dev.sextant.eval.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The suite runner's client against a loopback server that answers as the sextant router does. */
class TargetClientTest {

    private HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile String streamTail = "";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/embeddings", e -> answer(e, 200, "{\"object\":\"list\",\"data\":["
                + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.5,-1.0]},"
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[1.0,2.0]}],\"model\":\"m\"}"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.close();
    }

    private TargetClient client() {
        return new TargetClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, null);
    }

    @Test
    void anAnswerCarriesItsTextCitationsCacheFlagRetrievalAndUsage() {
        streamTail = "{\"choices\":[],\"citations\":[{\"source\":\"a.html\",\"text\":\"A\"},"
                + "{\"source\":\"b.html\",\"text\":\"B\",\"cited\":false}],\"retrieval\":\"unavailable\",\"cached\":true,"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13,\"cost_usd\":0.25}}";
        TargetClient.Answer answer = client().chat("q", 8);
        assertThat(answer.text()).isEqualTo("Hello");
        // A citation without "cited" (an older server) counts as cited; b.html was context only.
        assertThat(answer.citations()).containsExactly(new TargetClient.Cited("a.html", "A", true),
                new TargetClient.Cited("b.html", "B", false));
        assertThat(answer.cached()).isTrue();
        assertThat(answer.retrieval()).isEqualTo("unavailable");
        assertThat(answer.promptTokens()).isEqualTo(11);
        assertThat(answer.completionTokens()).isEqualTo(2);
        assertThat(answer.costUsd()).isEqualTo(0.25);
        assertThat(answer.ttftNanos()).isPositive().isLessThanOrEqualTo(answer.totalNanos());
    }

    @Test
    void anErrorEventFailsTheAnswer() {
        streamTail = "{\"error\":{\"message\":\"inference failed\",\"type\":\"server_error\"}}";
        assertThatThrownBy(() -> client().chat("q", 8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the answer stream failed: inference failed");
    }

    @Test
    void embeddingsComeBackInInputOrder() {
        List<float[]> vectors = client().embed(List.of("x", "y"));
        assertThat(vectors).containsExactly(new float[] {1.0f, 2.0f}, new float[] {0.5f, -1.0f});
        assertThatThrownBy(() -> client().embed(List.of("only one"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 embeddings for 1 inputs");
    }

    private void chat(HttpExchange e) throws IOException {
        try (e) {
            e.getRequestBody().readAllBytes();
            e.getResponseHeaders().set("content-type", "text/event-stream");
            e.sendResponseHeaders(200, 0);
            OutputStream out = e.getResponseBody();
            for (String event : List.of(
                    "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
                    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}",
                    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}",
                    "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                    streamTail, "[DONE]")) {
                out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private static void answer(HttpExchange e, int status, String body) throws IOException {
        try (e) {
            e.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            e.getResponseHeaders().set("content-type", "application/json");
            e.sendResponseHeaders(status, bytes.length);
            e.getResponseBody().write(bytes);
        }
    }
}
