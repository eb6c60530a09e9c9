package dev.sextant.eval.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a loopback port, one virtual thread per exchange, with an endpoint per behaviour the load
 * generator must count: JSON, a chat completion stream, 429, 500, streams that fail, and answers that block until
 * the test releases them.
 */
final class LoopbackTestServer implements AutoCloseable {

    static final String ROLE_CHUNK = "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}";

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    LoopbackTestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/json", e -> answer(e, 200, "{\"ok\":true}"));
        server.createContext("/status/429", e -> answer(e, 429, "{\"error\":{\"message\":\"slow down\"}}"));
        server.createContext("/status/500", e -> answer(e, 500, "{\"error\":{\"message\":\"boom\"}}"));
        server.createContext("/sse", e -> stream(e, true, contentChunk("Hel"), contentChunk("lo"), finishChunk()));
        // As the router ends a stream that failed after its first event: an error event, then [DONE].
        server.createContext("/sse-error", e -> stream(e, true, contentChunk("Hel"),
                "{\"error\":{\"message\":\"inference failed\",\"type\":\"server_error\"}}"));
        server.createContext("/sse-broken", e -> stream(e, false, contentChunk("Hel"), contentChunk("lo")));
        server.createContext("/block", e -> {
            count(e);
            awaitRelease();
            answer(e, 200, "{\"ok\":true}", false);
        });
        server.createContext("/sse-stall", e -> {
            count(e);
            try (e) {
                e.getResponseHeaders().set("content-type", "text/event-stream");
                e.sendResponseHeaders(200, 0);
                OutputStream out = e.getResponseBody();
                write(out, "data: " + contentChunk("Hel") + "\n\n");
                awaitRelease();
            } catch (IOException ignored) {
                // the client gave up
            }
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    int totalHits() {
        return hits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Lets every blocked answer go. */
    void release() {
        release.countDown();
    }

    static String contentChunk(String text) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}";
    }

    static String finishChunk() {
        return "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
    }

    private void count(HttpExchange e) {
        hits.computeIfAbsent(e.getHttpContext().getPath(), p -> new AtomicInteger()).incrementAndGet();
    }

    private void answer(HttpExchange e, int status, String json) throws IOException {
        answer(e, status, json, true);
    }

    private void answer(HttpExchange e, int status, String json, boolean count) throws IOException {
        if (count) {
            count(e);
        }
        try (e) {
            e.getRequestBody().readAllBytes();
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            e.getResponseHeaders().set("content-type", "application/json");
            e.sendResponseHeaders(status, body.length);
            e.getResponseBody().write(body);
        } catch (IOException ignored) {
            // the client gave up (timeout test)
        }
    }

    /** A role-only chunk, then the given events, each flushed; {@code data: [DONE]} last if {@code done}. */
    private void stream(HttpExchange e, boolean done, String... events) throws IOException {
        count(e);
        try (e) {
            e.getRequestBody().readAllBytes();
            e.getResponseHeaders().set("content-type", "text/event-stream");
            e.sendResponseHeaders(200, 0);
            OutputStream out = e.getResponseBody();
            write(out, "data: " + ROLE_CHUNK + "\n\n");
            for (String event : events) {
                write(out, "data: " + event + "\n\n");
            }
            if (done) {
                write(out, "data: [DONE]\n\n");
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        handlers.close();
    }
}
