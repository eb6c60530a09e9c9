package dev.sextant.inference.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.ResponseFormat;
import dev.sextant.inference.api.SamplingParams;
import dev.sextant.inference.api.TokenStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a real HTTP server on a loopback port that streams chunked server-sent events. Connections
 * are counted by the client ports the server sees.
 */
class HttpInferenceClientTest {

    /** The server ends its response this long after [DONE]: a client that does not wait for the end loses the connection. */
    private static final long END_AFTER_DONE_MILLIS = 150;

    private HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final CountDownLatch clientLeft = new CountDownLatch(1);
    private final List<String> chatBodies = new CopyOnWriteArrayList<>();
    private HttpInferenceClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/v1/chat/completions", this::chatRoute);
        server.createContext("/v1/completions", e -> stream(e, List.of(
                "{\"model\":\"tiny\",\"choices\":[{\"index\":0,\"text\":\"once\",\"finish_reason\":null}]}",
                "{\"model\":\"tiny\",\"choices\":[{\"index\":0,\"text\":\" upon\",\"finish_reason\":\"stop\"}]}")));
        server.start();
        client = new HttpInferenceClient(base(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.close();
    }

    @Test
    void sequentialStreamsShareOneConnection() {
        for (int i = 0; i < 5; i++) {
            StringBuilder streamed = new StringBuilder();
            GenerationResult result = client.generate(chatRequest(), collecting(streamed));
            assertThat(result).isEqualTo(new GenerationResult("tiny", "Hello", FinishReason.LENGTH, 7, 2));
            assertThat(streamed).hasToString("Hello");
        }
        GenerationResult text = client.generate(new GenerationRequest(null, Prompt.text("Once"), 4, List.of(),
                SamplingParams.GREEDY, Duration.ofSeconds(10)), TokenStream.DISCARD);
        assertThat(text.text()).isEqualTo("once upon");
        assertThat(text.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(clientPorts).as("connections the server accepted").hasSize(1);
    }

    @Test
    void aCancelledStreamClosesItsConnection() throws InterruptedException {
        StringBuilder streamed = new StringBuilder();
        GenerationResult result = client.generate(chatRequest("slow"), new TokenStream() {
            @Override
            public void onText(String delta) {
                streamed.append(delta);
            }

            @Override
            public boolean isCancelled() {
                return !streamed.isEmpty();
            }
        });
        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(result.text()).isEqualTo("t0");
        assertThat(clientLeft.await(20, TimeUnit.SECONDS)).as("the server sees the client leave").isTrue();

        client.generate(chatRequest(), TokenStream.DISCARD);
        assertThat(clientPorts).as("a new connection after the cancelled one").hasSize(2);
    }

    @Test
    void anErrorEventFailsTheRequestAndKeepsTheConnection() {
        InferenceException e = catchThrowableOfType(InferenceException.class,
                () -> client.generate(chatRequest("fail"), TokenStream.DISCARD));
        assertThat(e.kind()).isEqualTo(InferenceException.Kind.INTERNAL);
        assertThat(e).hasMessageContaining("engine failed");
        assertThat(client.generate(chatRequest(), TokenStream.DISCARD).text()).isEqualTo("Hello");
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void errorStatusesBecomeTheirKindWithTheServersMessage() {
        InferenceException busy = catchThrowableOfType(InferenceException.class,
                () -> client.generate(chatRequest("busy"), TokenStream.DISCARD));
        assertThat(busy.kind()).isEqualTo(InferenceException.Kind.OVERLOADED);
        assertThat(busy).hasMessage("queue full");
        InferenceException bad = catchThrowableOfType(InferenceException.class,
                () -> client.generate(chatRequest("bad"), TokenStream.DISCARD));
        assertThat(bad.kind()).isEqualTo(InferenceException.Kind.INVALID_REQUEST);
        assertThat(bad).hasMessage("<html>no such route</html>");
        assertThat(clientPorts).as("error answers are read to their end too").hasSize(1);
    }

    @Test
    void ignoreEosIsSentOnlyWhenAsked() {
        client.generate(chatRequest(), TokenStream.DISCARD);
        client.generate(new GenerationRequest(null, Prompt.chat(List.of(new ChatMessage("user", "hi"))), 8,
                List.of(), SamplingParams.GREEDY, Duration.ofSeconds(10), true), TokenStream.DISCARD);
        assertThat(chatBodies).hasSize(2);
        assertThat(chatBodies.get(0)).doesNotContain("ignore_eos");
        assertThat(chatBodies.get(1)).contains("\"ignore_eos\":true");
    }

    @Test
    void responseFormatTravelsAsOpenAiWritesIt() throws Exception {
        client.generate(chatRequest().withFormat(new ResponseFormat.JsonSchema("city",
                "{\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}}", true)),
                TokenStream.DISCARD);
        client.generate(chatRequest().withFormat(ResponseFormat.JSON_OBJECT), TokenStream.DISCARD);
        client.generate(chatRequest(), TokenStream.DISCARD);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.readTree(chatBodies.get(0)).get("response_format")).isEqualTo(json.readTree(
                "{\"type\": \"json_schema\", \"json_schema\": {\"name\": \"city\", \"strict\": true, "
                        + "\"schema\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}}}}"));
        assertThat(json.readTree(chatBodies.get(1)).get("response_format").toString())
                .isEqualTo("{\"type\":\"json_object\"}");
        assertThat(chatBodies.get(2)).doesNotContain("response_format");
    }

    /** Answers by the requested model: a normal stream, or one of the ways a stream or request fails. */
    private void chatRoute(HttpExchange e) throws IOException {
        clientPorts.add(e.getRemoteAddress().getPort());
        String body = new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        chatBodies.add(body);
        String model = body.replaceAll(".*\"model\":\"([a-z]+)\".*", "$1");
        switch (model) {
            case "slow" -> slowStream(e);
            case "fail" -> stream(e, List.of(chat("Hel"), "{\"error\":{\"message\":\"engine failed\","
                    + "\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
            case "busy" -> answer(e, 429, "{\"error\":{\"message\":\"queue full\",\"type\":\"rate_limit_error\","
                    + "\"param\":null,\"code\":null}}");
            case "bad" -> answer(e, 400, "<html>no such route</html>");
            default -> stream(e, List.of(
                    "{\"model\":\"tiny\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                            + "\"content\":\"\"}}]}",
                    chat("Hel"), chat("lo"),
                    "{\"model\":\"tiny\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}",
                    "{\"model\":\"tiny\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,"
                            + "\"total_tokens\":9}}"));
        }
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private static GenerationRequest chatRequest() {
        return GenerationRequest.chat(List.of(new ChatMessage("user", "hi")), 8, List.of(), Duration.ofSeconds(10));
    }

    /** {@code model} picks the server's behaviour. */
    private static GenerationRequest chatRequest(String model) {
        return new GenerationRequest(model, Prompt.chat(List.of(new ChatMessage("user", "hi"))), 8, List.of(),
                SamplingParams.GREEDY, Duration.ofSeconds(10));
    }

    private static TokenStream collecting(StringBuilder into) {
        return new TokenStream() {
            @Override
            public void onText(String delta) {
                into.append(delta);
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
    }

    private static String chat(String text) {
        return "{\"model\":\"tiny\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}";
    }

    /** The events, each flushed as its own chunk, [DONE], and the end of the body a little later. */
    private void stream(HttpExchange e, List<String> events) throws IOException {
        clientPorts.add(e.getRemoteAddress().getPort());
        try (e) {
            e.getRequestBody().readAllBytes(); // read already on the chat route; the completions route reads here
            e.getResponseHeaders().set("content-type", "text/event-stream");
            e.sendResponseHeaders(200, 0);
            OutputStream out = e.getResponseBody();
            for (String event : events) {
                write(out, "data: " + event + "\n\n");
            }
            write(out, "data: [DONE]\n\n");
            sleep(END_AFTER_DONE_MILLIS);
        }
    }

    /** Tokens until the client goes away (then the writes fail). */
    private void slowStream(HttpExchange e) throws IOException {
        try (e) {
            e.getResponseHeaders().set("content-type", "text/event-stream");
            e.sendResponseHeaders(200, 0);
            OutputStream out = e.getResponseBody();
            for (int i = 0; i < 2000; i++) {
                write(out, "data: " + chat("t" + i) + "\n\n");
                sleep(10);
            }
        } catch (IOException gone) {
            clientLeft.countDown();
        }
    }

    private void answer(HttpExchange e, int status, String body) throws IOException {
        try (e) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(status, bytes.length);
            e.getResponseBody().write(bytes);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
