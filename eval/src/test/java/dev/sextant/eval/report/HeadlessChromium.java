package dev.sextant.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the DevTools protocol with {@link java.net.http.WebSocket}: enough to open a page,
 * collect its console errors and evaluate expressions. The browser gets a fresh profile and home directory and is
 * killed, with every process it started, by {@link #close}.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Path dir;
    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Every event received, in order. */
    final List<JsonNode> events = new CopyOnWriteArrayList<>();

    private HeadlessChromium(Path dir, Process process, WebSocket socket) {
        this.dir = dir;
        this.process = process;
        this.socket = socket;
    }

    /** Starts Chromium on a free port and connects to its browser endpoint. */
    static HeadlessChromium start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sextant-chromium-");
        Path profile = Files.createDirectories(dir.resolve("profile"));
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "about:blank");
        pb.environment().put("HOME", home.toString());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile());
        Process process = pb.start();
        HeadlessChromium browser = null;
        try {
            String endpoint = endpoint(process, profile, dir.resolve("chromium.log"));
            Listener listener = new Listener();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(endpoint), listener).get(20, TimeUnit.SECONDS);
            browser = new HeadlessChromium(dir, process, socket);
            listener.owner = browser;
            return browser;
        } catch (Exception e) {
            kill(process);
            deleteQuietly(dir);
            throw new IOException("could not connect to Chromium: " + e, e);
        }
    }

    /** The browser's WebSocket URL from {@code DevToolsActivePort} (port, then path) in the profile. */
    private static String endpoint(Process process, Path profile, Path log) throws IOException, InterruptedException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Chromium exited with " + process.exitValue() + ": " + tail(log));
            }
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() >= 2 && !lines.get(1).isBlank()) {
                    return "ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip();
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("no DevToolsActivePort after " + STARTUP + ": " + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Sends a command (to a page session when {@code sessionId} is not null) and waits for its result. */
    JsonNode call(String sessionId, String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        synchronized (socket) {
            socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        }
        JsonNode answer = reply.get(30, TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    /** Waits for an event at or after index {@code from} of {@link #events} that matches. */
    JsonNode await(int from, Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = from; i < events.size(); i++) {
                if (match.test(events.get(i))) {
                    return events.get(i);
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no matching DevTools event within " + timeout + "; got " + events);
    }

    private void receive(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
            if (reply != null) {
                reply.complete(message);
            }
        } else {
            events.add(message);
        }
    }

    /** Asks the browser to close, then kills it and every process it started, and deletes the profile. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            call(null, "Browser.close", Map.of());
        } catch (Exception ignored) {
            // it may already be gone, or close the socket before answering
        }
        socket.abort();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill(process);
        children.forEach(ProcessHandle::destroyForcibly);
        deleteQuietly(dir);
    }

    boolean alive() {
        return process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive);
    }

    private static void kill(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    /** Reassembles fragmented text frames and hands each message to the browser object. */
    private static final class Listener implements WebSocket.Listener {
        volatile HeadlessChromium owner;
        private final List<CharSequence> parts = new ArrayList<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.add(data.toString());
            if (last) {
                String text = String.join("", parts);
                parts.clear();
                HeadlessChromium browser = owner;
                if (browser != null) {
                    browser.receive(text);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
