package dev.sextant.embeddings.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code /v1/embeddings} on a loopback socket, answering like the sextant service with a real model, plus
 * switches for the failures a client must survive (another model name, short vectors, canned errors, stalls).
 */
final class LoopbackEmbeddingsServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server saw of one request. */
    record Seen(JsonNode body, String authorization) {
        int inputs() {
            return body.path("input").size();
        }
    }

    private final EmbeddingModel model;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseStalls = new CountDownLatch(1);

    volatile String reportedModel;
    volatile int truncateVectorsTo;
    volatile boolean ignoreEncodingFormat;
    volatile Canned canned;
    volatile Stall stall = Stall.NONE;

    enum Stall { NONE, BEFORE_HEADERS, MID_BODY }

    /** A fixed answer instead of embeddings. */
    record Canned(int status, String body, Map<String, String> headers) {
    }

    LoopbackEmbeddingsServer(EmbeddingModel model) throws IOException {
        this.model = model;
        this.reportedModel = model.name();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/v1/embeddings", this::handle);
        server.start();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Seen> seen() {
        return seen;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            seen.add(new Seen(body, exchange.getRequestHeaders().getFirst("authorization")));
            if (stall == Stall.BEFORE_HEADERS) {
                awaitRelease();
                return;
            }
            Canned answer = canned;
            if (answer != null) {
                answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                send(exchange, answer.status(), answer.body());
                return;
            }
            List<String> inputs = new ArrayList<>();
            body.path("input").forEach(item -> inputs.add(item.asText()));
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).isEmpty()) {
                    send(exchange, 400, error("input[" + i + "] is empty", "input"));
                    return;
                }
            }
            boolean base64 = body.path("encoding_format").asText("float").equals("base64") && !ignoreEncodingFormat;
            send(exchange, 200, embeddings(model.embed(new EmbeddingRequest(inputs)), base64));
        }
    }

    private String embeddings(EmbeddingResult result, boolean base64) {
        ObjectNode out = JSON.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < result.vectors().size(); i++) {
            float[] vector = result.vectors().get(i);
            if (truncateVectorsTo > 0) {
                vector = Arrays.copyOf(vector, truncateVectorsTo);
            }
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(vector);
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
        }
        out.put("model", reportedModel);
        out.putObject("usage").put("prompt_tokens", result.tokenCount()).put("total_tokens", result.tokenCount());
        return out.toString();
    }

    static String error(String message, String param) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", message).put("type", "invalid_request_error").put("param", param)
                .putNull("code");
        return error.toString();
    }

    private void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        if (stall == Stall.MID_BODY) {
            // Headers and half the body go out at once, then nothing: only a whole-exchange deadline notices.
            exchange.sendResponseHeaders(status, bytes.length);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            awaitRelease();
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void awaitRelease() {
        try {
            releaseStalls.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        releaseStalls.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
