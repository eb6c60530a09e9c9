package dev.sextant.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged application run as a separate process, the way the README runs it. */
final class AppProcess {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

    private AppProcess() {
    }

    record Run(int exitCode, String output) {
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a command to its end. */
    static Run run(Map<String, String> env, String... args) throws Exception {
        return run(java.time.Duration.ofSeconds(120), env, args);
    }

    static Run run(java.time.Duration limit, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command(args)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        boolean ended = p.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("command ended within " + limit).isTrue();
        return new Run(p.exitValue(), output.get());
    }

    /** A server process, stopped when closed. */
    record Server(Process process, String base, Path log, int port) implements AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        /** kill -9: the process gets no chance to close its connections politely. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        String logName() {
            return log.getFileName().toString();
        }
    }

    /** Starts a server command on {@code port} (0: a free one) with the data dir, and waits until it is ready. */
    static Server start(Path dataDir, int port, Map<String, String> env, String... args) throws Exception {
        Server server = launch(dataDir, port, env, args);
        awaitReady(server.base(), server.process());
        return server;
    }

    /** Starts a server command without waiting for readiness. */
    static Server launch(Path dataDir, int port, Map<String, String> env, String... args) throws Exception {
        int p = port == 0 ? freePort() : port;
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", dataDir.toString(), "--port", Integer.toString(p)));
        Path log = dataDir.resolve(args[0] + "-" + p + "-" + System.nanoTime() + ".log");
        java.nio.file.Files.createDirectories(dataDir);
        ProcessBuilder pb = new ProcessBuilder(command(all.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new Server(pb.start(), "http://127.0.0.1:" + p, log, p);
    }

    static HttpResponse<String> post(String url, String json) throws Exception {
        return post(url, json, Map.of());
    }

    static HttpResponse<String> post(String url, String json, Map<String, String> headers) throws Exception {
        // A lost response fails the test after a while instead of hanging the whole integration-test phase.
        var builder = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(builder::header);
        return HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Longer than any one request of the tests takes (a non-streamed chat on 2 busy cores: a few seconds). */
    static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(60);

    static String get(String url) throws Exception {
        return get(url, Map.of());
    }

    static String get(String url, Map<String, String> headers) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT);
        headers.forEach(builder::header);
        return GETS.send(builder.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * One client for the GETs, which tests poll (metrics, every 100 ms): a client per request leaves a selector
     * thread per poll until it is collected. HTTP/1.1, as Prometheus scrapes.
     */
    private static final HttpClient GETS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static void awaitReady(String base, Process server) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("server exited during startup").isTrue();
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server not ready within 90 s");
    }

    /** The last {@code lines} lines of a log file, or why it cannot be read. */
    static String tail(Path log, int lines) {
        try {
            List<String> all = java.nio.file.Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
