package dev.sextant.eval.launch;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** This application's jar started again as another process (a server command), stopped when closed. */
public final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final String base;
    private final Path log;

    private ChildProcess(Process process, String base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /** The jar this JVM was started from ({@code java -jar quarkus-run.jar}). */
    public static Path ownJar() {
        String classPath = System.getProperty("java.class.path", "");
        String first = classPath.split(File.pathSeparator)[0];
        if (!first.endsWith(".jar")) {
            throw new IllegalStateException("run this from the packaged application (./sextant ...), not from "
                    + "a class path: " + classPath);
        }
        return Path.of(first).toAbsolutePath();
    }

    /** {@code java -jar <this jar> args...} with the JVM flags the launcher uses. */
    public static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-jar", ownJar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a command of this application to its end; its output goes to {@code log}. */
    public static int run(Path log, Map<String, String> env, String... args) throws IOException,
            InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(javaCommand(args)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start().waitFor();
    }

    /** Starts a server command on a free port and waits until it is ready. */
    public static ChildProcess start(Path workDir, String name, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = javaCommand(args);
        command.addAll(List.of("--port", Integer.toString(port)));
        Path log = workDir.resolve(name + ".log");
        Files.createDirectories(workDir);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        ChildProcess child = new ChildProcess(pb.start(), "http://127.0.0.1:" + port, log);
        child.awaitReady(name);
        return child;
    }

    public String base() {
        return base;
    }

    private void awaitReady(String name) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during startup; see " + log);
            }
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within 120 s; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
