package dev.sextant.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import static dev.sextant.app.launcher.AppProcess.awaitReady;
import static dev.sextant.app.launcher.AppProcess.command;
import static dev.sextant.app.launcher.AppProcess.freePort;
import static dev.sextant.app.launcher.AppProcess.get;
import static dev.sextant.app.launcher.AppProcess.post;
import static dev.sextant.app.launcher.AppProcess.run;

import dev.sextant.app.launcher.AppProcess.Run;
import dev.sextant.app.launcher.AppProcess.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application run as the README runs it: separate processes for {@code ingest} and {@code serve}
 * sharing a data dir, and the command-line errors a user sees.
 */
class LauncherIT {

    Server start(Map<String, String> env, String... args) throws Exception {
        return AppProcess.start(dataDir, 0, env, args);
    }

    static final Path ROOT = AppProcess.ROOT;

    @TempDir
    Path dataDir;

    @Test
    void ingestOfAMissingPathFailsWithOneLine() throws Exception {
        Run r = run(Map.of(), "ingest", "/definitely/not/here", "--data-dir", dataDir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains("sextant ingest: path does not exist: /definitely/not/here")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void ingestIntoAnUnreachableMilvusFailsWithOneLineNamingIt() throws Exception {
        Run r = run(Map.of("SEXTANT_STORE_MILVUS_URI", "http://127.0.0.1:" + freePort()), "ingest",
                ROOT.resolve("samples/corpus").toString(), "--store", "milvus", "--data-dir", dataDir.toString());
        assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
        assertThat(r.output()).contains("sextant ingest: cannot open the milvus chunk store")
                .doesNotContain("\tat ");
    }

    @Test
    void ingestWithBadFilesIngestsTheRestAndExitsNonZero() throws Exception {
        Path corpus = Files.createDirectories(dataDir.resolve("corpus"));
        Files.writeString(corpus.resolve("good.md"), "# Good\nFine text.\n");
        Files.write(corpus.resolve("bad.txt"), new byte[] {(byte) 0xFF, 'x'});
        Run r = run(Map.of(), "ingest", corpus.toString(), "--data-dir", dataDir.resolve("data").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("bad.txt: not valid UTF-8").contains("ingested 1 documents");
    }

    @Test
    void aBadConfigValueStopsStartupNamingTheKey() throws Exception {
        Run r = run(Map.of("SEXTANT_RETRIEVAL_TOP_K", "zero"), "serve", "--data-dir", dataDir.toString(),
                "--port", "0");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("sextant.retrieval.top-k");
        Run range = run(Map.of("SEXTANT_INFERENCE_MAX_WAITING", "-3"), "serve", "--data-dir", dataDir.toString(),
                "--port", "0");
        assertThat(range.exitCode()).isNotZero();
        assertThat(range.output()).contains("sextant.inference.max-waiting");
    }

    @Test
    void ingestAndServeWorkOnTheMilvusStoreToo() throws Exception {
        String milvus = System.getenv().getOrDefault("SEXTANT_MILVUS_URI", "http://127.0.0.1:19530");
        org.junit.jupiter.api.Assumptions.assumeTrue("true".equals(System.getenv("CI")) || reachable(milvus),
                "no Milvus server at " + milvus);
        Map<String, String> env = Map.of("SEXTANT_STORE_MILVUS_URI", milvus, "SEXTANT_DEFAULT_TENANT",
                "launcher-it-" + System.nanoTime());
        Run ingest = run(env, "ingest", ROOT.resolve("samples/corpus").toString(), "--store", "milvus",
                "--data-dir", dataDir.toString());
        assertThat(ingest.exitCode()).as(ingest.output()).isZero();
        assertThat(ingest.output()).contains("ingested 10 documents");
        try (Server serve = start(env, "serve", "--store", "milvus")) {
            HttpResponse<String> r = post(serve.base() + "/v1/retrieve", "{\"query\": \"How can I squash several "
                    + "commits into one before opening a pull request?\", \"top_k\": 1}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("git/rebase.md");
        }
    }

    private static boolean reachable(String uri) {
        URI parsed = URI.create(uri);
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(parsed.getHost(), parsed.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * kill -9 in the middle of an ingest, then the same ingest again: the index ends up with exactly the chunks of
     * an uninterrupted run (nothing duplicated, nothing missing).
     */
    @Test
    void anIngestKilledMidwayAndRunAgainEndsLikeAnUninterruptedOne() throws Exception {
        Path corpus = Files.createDirectories(dataDir.resolve("bulk"));
        for (int i = 0; i < 240; i++) {
            Files.writeString(corpus.resolve(String.format("doc-%03d.md", i)), "# Document " + i + "\n\n"
                    + ("Paragraph about topic " + i + " and its details. ").repeat(12) + "\n\n"
                    + ("Second part of document " + i + ". ").repeat(20) + "\n");
        }
        Path clean = dataDir.resolve("clean");
        assertThat(run(Map.of(), "ingest", corpus.toString(), "--data-dir", clean.toString()).exitCode()).isZero();

        Path crashed = dataDir.resolve("crashed");
        Process ingest = new ProcessBuilder(command("ingest", corpus.toString(), "--data-dir", crashed.toString()))
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(ingest.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("ingest progress: 64/")) {
                // wait until at least two batches are committed
            }
            assertThat(line).as("ingest progress line").isNotNull();
            ingest.destroyForcibly();
            assertThat(ingest.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Map<String, Integer> partial = chunksPerSource(crashed);
        assertThat(partial.size()).as("documents committed before the kill").isBetween(64, 239);
        Run again = run(Map.of(), "ingest", corpus.toString(), "--data-dir", crashed.toString());
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains(partial.size() + " unchanged");
        assertThat(chunksPerSource(crashed)).isEqualTo(chunksPerSource(clean)).hasSize(240);
    }

    /** Chunk ids per source, read straight from the Lucene index (independent of the store's own API). */
    private static Map<String, Integer> chunksPerSource(Path dataDir) throws IOException {
        Path index;
        try (var dirs = Files.list(dataDir.resolve("index"))) {
            index = dirs.findFirst().orElseThrow();
        }
        Map<String, Integer> counts = new java.util.TreeMap<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (var directory = org.apache.lucene.store.FSDirectory.open(index);
             var reader = org.apache.lucene.index.DirectoryReader.open(directory)) {
            var stored = reader.storedFields();
            var live = org.apache.lucene.index.MultiBits.getLiveDocs(reader);
            for (int doc = 0; doc < reader.maxDoc(); doc++) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                var document = stored.document(doc);
                assertThat(ids.add(document.get("id"))).as("duplicate chunk " + document.get("id")).isTrue();
                counts.merge(document.get("source"), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void theEmbeddingsServiceServesOnlyEmbeddings() throws Exception {
        try (Server embeddings = start(Map.of(), "embeddings")) {
            HttpResponse<String> r = post(embeddings.base() + "/v1/embeddings", "{\"input\": [\"a\", \"b\"]}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"index\":1").contains("all-minilm-l6-v2-q");
            assertThat(get(embeddings.base() + "/v1/models")).contains("all-minilm-l6-v2-q")
                    .doesNotContain("sextant-tiny-chat");
            assertThat(post(embeddings.base() + "/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", "
                    + "\"content\": \"hi\"}]}").statusCode()).isEqualTo(404);
            assertThat(post(embeddings.base() + "/v1/retrieve", "{\"query\": \"x\"}").statusCode()).isEqualTo(404);
            // No chat model was ever loaded by this process.
            assertThat(Files.readString(dataDir.resolve(embeddings.logName()))).doesNotContain("InferenceEngine");
        }
    }

    @Test
    void anUnknownCommandIsAUsageError() throws Exception {
        Run r = run(Map.of(), "frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains("Unmatched argument").contains("serve").contains("ingest");
    }

    @Test
    void serveAnswersChatOverDocumentsIngestedByAnotherProcess() throws Exception {
        Run ingest = run(Map.of(), "ingest", ROOT.resolve("samples/corpus").toString(), "--data-dir",
                dataDir.toString());
        assertThat(ingest.exitCode()).as(ingest.output()).isZero();
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(command("serve", "--data-dir", dataDir.toString(), "--port",
                Integer.toString(port))).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("serve.log").toFile());
        Process server = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://127.0.0.1:" + port;
            awaitReady(base, server);
            HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\": [{\"role\": \"user\", \"content\": "
                            + "\"How does PostgreSQL reclaim space from dead rows?\"}], \"max_tokens\": 8}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(chat.statusCode()).isEqualTo(200);
            assertThat(chat.body()).contains("\"citations\"").contains("postgresql/vacuum.html");

            // A re-ingest by another process is visible to the running server without a restart.
            Path extra = Files.createDirectories(dataDir.resolve("extra"));
            Files.writeString(extra.resolve("zebra.md"), "# Zebras\nZebras have black and white stripes.\n");
            assertThat(run(Map.of(), "ingest", extra.toString(), "--data-dir", dataDir.toString()).exitCode())
                    .isZero();
            HttpResponse<String> retrieve = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/retrieve"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"striped animals\", \"top_k\": 1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(retrieve.body()).contains("zebra.md");
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theAllInOneServerCanUseARemoteInferenceService() throws Exception {
        assertThat(run(Map.of(), "ingest", ROOT.resolve("samples/corpus").toString(), "--data-dir",
                dataDir.toString()).exitCode()).isZero();
        try (Server inference = start(Map.of(), "inference");
             Server serve = start(Map.of("SEXTANT_INFERENCE_URL", inference.base()), "serve")) {
            assertThat(get(inference.base() + "/v1/models")).contains("sextant-tiny-chat");
            assertThat(post(inference.base() + "/v1/retrieve", "{\"query\": \"x\"}").statusCode())
                    .as("the inference service has no retrieval").isEqualTo(404);
            HttpResponse<String> chat = post(serve.base() + "/v1/chat/completions", "{\"messages\": [{\"role\": "
                    + "\"user\", \"content\": \"How does git rebase differ from merge?\"}], \"max_tokens\": 6}");
            assertThat(chat.statusCode()).isEqualTo(200);
            assertThat(chat.body()).contains("git/rebase.md").contains("\"completion_tokens\":6");
            // The generation ran in the inference process.
            assertThat(get(inference.base() + "/q/metrics"))
                    .contains("sextant_inference_generated_tokens_total{model=\"sextant-tiny-chat\"}");
        }
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterAndEveryOtherRequestCompletes() throws Exception {
        try (Server inference = start(Map.of("SEXTANT_INFERENCE_MAX_BATCH", "1", "SEXTANT_INFERENCE_MAX_WAITING", "1"),
                "inference")) {
            HttpClient http = HttpClient.newHttpClient();
            var request = HttpRequest.newBuilder(URI.create(inference.base() + "/v1/completions"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"Once upon a time\", "
                            + "\"max_tokens\": 1500}")).build();
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            int refused = 0;
            for (var f : responses) {
                HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    ok++;
                    assertThat(r.body()).contains("\"completion_tokens\":1500");
                } else {
                    refused++;
                    assertThat(r.statusCode()).isEqualTo(429);
                    assertThat(r.headers().firstValue("retry-after")).isPresent();
                    assertThat(r.body()).contains("queue is full");
                }
            }
            assertThat(ok).as("one running and one queued request complete").isGreaterThanOrEqualTo(2);
            assertThat(refused).isPositive();
            assertThat(get(inference.base() + "/q/metrics"))
                    .contains("sextant_inference_rejected_requests_total{model=\"sextant-tiny-chat\"} " + refused + ".0");
        }
    }

    @Test
    void aClientThatDisconnectsMidStreamCancelsItsGeneration() throws Exception {
        try (Server inference = start(Map.of(), "inference")) {
            var request = HttpRequest.newBuilder(URI.create(inference.base() + "/v1/completions"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"Once upon a time\", "
                            + "\"max_tokens\": 1900, \"stream\": true}")).build();
            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(response.body()))) {
                assertThat(in.readLine()).startsWith("data: ");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String metrics = "";
            while (System.nanoTime() < deadline) {
                metrics = get(inference.base() + "/q/metrics");
                if (metrics.contains("reason=\"cancelled\"")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(metrics).contains("sextant_inference_finished_requests_total{model=\"sextant-tiny-chat\","
                    + "reason=\"cancelled\"} 1.0");
            assertThat(metrics).contains("sextant_inference_running_sequences{model=\"sextant-tiny-chat\"} 0.0");
        }
    }

}
