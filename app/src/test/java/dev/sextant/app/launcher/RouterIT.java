package dev.sextant.app.launcher;

import static dev.sextant.app.launcher.AppProcess.get;
import static dev.sextant.app.launcher.AppProcess.post;
import static dev.sextant.app.launcher.AppProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.app.launcher.AppProcess.Server;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The distributed deployment on loopback, every part a real process: a Redis server, an embeddings service, two
 * inference replicas and two routers ({@code ./sextant router}) sharing Redis (keys, limits, cache) and a data
 * dir filled by the ingest CLI. Tests that break a part run last, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "router-it-admin-secret";
    private static final String INTERNAL = "router-it-internal-key";
    private static final Map<String, String> REPLICA_ENV = Map.of("SEXTANT_AUTH_ADMIN_KEY", INTERNAL);
    private static final String QUESTION = "How can I squash several commits into one before opening a pull request?";

    private Path dir;
    private Process redis;
    private int redisPort;
    private Server embeddings;
    private final List<Server> replicas = new ArrayList<>();
    private Server router1;
    private Server router2;
    private Map<String, String> routerEnv;
    private String key;

    /** CI keeps only the build's output: a failed test prints what each process logged last. */
    @RegisterExtension
    final TestWatcher logsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            List<Server> servers = new ArrayList<>(replicas);
            servers.addAll(java.util.Arrays.asList(embeddings, router1, router2));
            for (Server s : servers) {
                if (s != null) {
                    System.out.println("---- last lines of " + s.logName() + " (alive: " + s.process().isAlive()
                            + ")\n" + AppProcess.tail(s.log(), 40));
                }
            }
        }
    };

    @BeforeAll
    void startTheDeployment() throws Exception {
        Path redisServer = Path.of("/usr/bin/redis-server");
        if (!Files.isExecutable(redisServer)) {
            Assumptions.abort("redis-server is not installed (./sextant services start installs it)");
        }
        dir = Files.createTempDirectory("router-it");
        redisPort = AppProcess.freePort();
        redis = startRedis();
        String redisUrl = "redis://127.0.0.1:" + redisPort;

        var ingest = run(Map.of(), "ingest", AppProcess.ROOT.resolve("samples/corpus").toString(), "--data-dir",
                dir.resolve("data").toString());
        assertThat(ingest.exitCode()).as(ingest.output()).isZero();

        embeddings = AppProcess.launch(dir.resolve("embeddings"), 0, Map.of(), "embeddings");
        // The replicas want a key (as in a cluster, where the router is not on their loopback): the routers send it.
        replicas.add(AppProcess.launch(dir.resolve("replica-a"), 0, REPLICA_ENV, "inference"));
        replicas.add(AppProcess.launch(dir.resolve("replica-b"), 0, REPLICA_ENV, "inference"));
        for (Server s : List.of(embeddings, replicas.get(0), replicas.get(1))) {
            AppProcess.awaitReady(s.base(), s.process());
        }
        routerEnv = new HashMap<>(Map.of(
                "SEXTANT_REDIS_URL", redisUrl,
                "SEXTANT_AUTH_STORE", "redis",
                "SEXTANT_AUTH_ADMIN_KEY", ADMIN,
                "SEXTANT_EMBEDDINGS_URL", embeddings.base(),
                "SEXTANT_INFERENCE_URL", replicas.get(0).base() + "," + replicas.get(1).base(),
                "SEXTANT_INFERENCE_REPLICAS_HEALTH_INTERVAL", "300ms",
                "SEXTANT_INFERENCE_API_KEY", INTERNAL));
        router1 = AppProcess.launch(dir.resolve("data"), 0, routerEnv, "router");
        router2 = AppProcess.launch(dir.resolve("data"), 0, routerEnv, "router");
        AppProcess.awaitReady(router1.base(), router1.process());
        AppProcess.awaitReady(router2.base(), router2.process());

        HttpResponse<String> created = post(router1.base() + "/admin/keys", "{\"tenant\": \"default\", "
                + "\"name\": \"router-it\"}", bearer(ADMIN));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        key = JSON.readTree(created.body()).path("key").asText();
    }

    private Process startRedis() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(redisPort), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (var socket = new java.net.Socket("127.0.0.1", redisPort)) {
                if (socket.isConnected()) {
                    return p;
                }
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("redis-server did not start");
    }

    @AfterAll
    void stopEverything() {
        for (AutoCloseable c : new AutoCloseable[] {router1, router2, embeddings}) {
            closeQuietly(c);
        }
        replicas.forEach(RouterIT::closeQuietly);
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception | AssertionError e) {
            // already gone
        }
    }

    private static Map<String, String> bearer(String secret) {
        return Map.of("authorization", "Bearer " + secret);
    }

    private HttpResponse<String> chat(Server router, String question, int maxTokens) throws Exception {
        return post(router.base() + "/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": "
                + JSON.writeValueAsString(question) + "}], \"max_tokens\": " + maxTokens + "}", bearer(key));
    }

    /** Sum of one metric's samples whose line matches, scraped from a process's /q/metrics. */
    private static double metric(Server server, String name, Predicate<String> line) throws Exception {
        double sum = 0;
        for (String l : get(server.base() + "/q/metrics").split("\n")) {
            if (l.startsWith(name) && line.test(l)) {
                sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static double generatedTokens(Server replica) throws Exception {
        return metric(replica, "sextant_inference_generated_tokens_total", l -> true);
    }

    private static double running(Server replica) throws Exception {
        return metric(replica, "sextant_inference_running_sequences", l -> true);
    }

    private double replicaHealthy(Server router, Server replica) throws Exception {
        return metric(router, "sextant_router_replica_healthy", l -> l.contains(replica.base() + "/"));
    }

    private void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    /**
     * Asked by the held-open streams. It must be one the sample corpus answers: the answerability gate refuses an
     * uncovered question without a model call, so no sequence would run. Their max_tokens and ignore_eos keep them
     * out of the answers cached by other tests, and a cancelled stream is never cached.
     */
    private static final String LONG_QUESTION = "Explain step by step how an interactive rebase squashes commits.";

    /** A chat stream left open after its first event, to hold a sequence on a replica until it is closed. */
    private InputStream openStream(Server router, int maxTokens) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(router.base() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\": [{\"role\": \"user\", \"content\": "
                        + JSON.writeValueAsString(LONG_QUESTION) + "}], \"max_tokens\": " + maxTokens
                        + ", \"stream\": true, \"ignore_eos\": true}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static String firstEvent(BufferedReader in) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("data: ")) {
                return line;
            }
        }
        throw new AssertionError("stream ended before its first event");
    }

    @Test
    @Order(1)
    void chatGoesThroughRetrievalWithRemoteEmbeddingsToAReplica() throws Exception {
        double before = generatedTokens(replicas.get(0)) + generatedTokens(replicas.get(1));
        HttpResponse<String> r = chat(router1, QUESTION, 5);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("citations").toString()).contains("git/rebase.md");
        assertThat(body.path("retrieval").asText()).isEqualTo("ok");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
        assertThat(generatedTokens(replicas.get(0)) + generatedTokens(replicas.get(1)) - before).isEqualTo(5.0);
        // The query was embedded by the embeddings service, not by the router.
        assertThat(metric(embeddings, "sextant_embeddings_texts_total", l -> true)).isPositive();
        assertThat(get(router1.base() + "/q/metrics")).doesNotContain("sextant_embeddings_texts_total");

        assertThat(get(router1.base() + "/v1/models", bearer(key))).contains("sextant-tiny-chat");

        HttpResponse<String> proxied = post(router2.base() + "/v1/embeddings", "{\"input\": [\"a\", \"b\"]}",
                bearer(key));
        assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(200);
        assertThat(proxied.body()).contains("all-minilm-l6-v2-q").contains("\"index\":1");

        // response_format and logprobs travel the router -> replica hop and come back.
        HttpResponse<String> structured = post(router1.base() + "/v1/chat/completions", "{\"messages\": [{\"role\": "
                + "\"user\", \"content\": " + JSON.writeValueAsString(QUESTION) + "}], \"max_tokens\": 40, "
                + "\"logprobs\": true, \"top_logprobs\": 2, \"response_format\": {\"type\": \"json_schema\", "
                + "\"json_schema\": {\"name\": \"a\", \"schema\": {\"type\": \"object\", \"properties\": "
                + "{\"ok\": {\"type\": \"boolean\"}}, \"required\": [\"ok\"]}}}}", bearer(key));
        assertThat(structured.statusCode()).as(structured.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(structured.body());
        JsonNode doc = JSON.readTree(answer.at("/choices/0/message/content").asText());
        assertThat(doc.get("ok").isBoolean()).as(doc.toString()).isTrue();
        JsonNode logprobs = answer.at("/choices/0/logprobs/content");
        assertThat(logprobs.size()).isEqualTo(answer.at("/usage/completion_tokens").asInt()).isPositive();
        assertThat(logprobs.get(0).get("top_logprobs")).hasSize(2);
        HttpResponse<String> text = post(router1.base() + "/v1/completions", "{\"prompt\": \"A rebase\", "
                + "\"max_tokens\": 4, \"logprobs\": 1}", bearer(key));
        assertThat(text.statusCode()).as(text.body()).isEqualTo(200);
        assertThat(JSON.readTree(text.body()).at("/choices/0/logprobs/tokens")).hasSize(4);
    }

    @Test
    @Order(2)
    void concurrentRequestsGoToTheReplicaWithFewerInFlight() throws Exception {
        try (InputStream first = openStream(router1, 1500); InputStream second = openStream(router1, 1500)) {
            firstEvent(new BufferedReader(new InputStreamReader(first, StandardCharsets.UTF_8)));
            firstEvent(new BufferedReader(new InputStreamReader(second, StandardCharsets.UTF_8)));
            // ignore_eos keeps both sequences running until the streams are closed; the gauges follow a step later.
            await("one sequence on each replica", () -> running(replicas.get(0)) == 1 && running(replicas.get(1)) == 1);
        }
        await("both replicas idle again", () -> running(replicas.get(0)) == 0 && running(replicas.get(1)) == 0);
    }

    @Test
    @Order(3)
    void rateLimitsAreSharedByBothRouters() throws Exception {
        HttpResponse<String> created = post(router2.base() + "/admin/keys", "{\"tenant\": \"default\", "
                + "\"requests_per_minute\": 4}", bearer(ADMIN));
        String limited = JSON.readTree(created.body()).path("key").asText();
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (Server router : List.of(router1, router2, router1, router2, router1)) {
            last = post(router.base() + "/v1/embeddings", "{\"input\": \"limit me\"}", bearer(limited));
            statuses.add(last.statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 200, 429);
        assertThat(last.headers().firstValue("retry-after")).isPresent();
        assertThat(last.headers().firstValue("x-ratelimit-limit-requests")).hasValue("4");
        assertThat(post(router2.base() + "/v1/embeddings", "{\"input\": \"x\"}", bearer(limited)).statusCode())
                .isEqualTo(429);
    }

    @Test
    @Order(4)
    void badKeysAndBadBodiesGetClearErrors() throws Exception {
        HttpResponse<String> unknown = post(router1.base() + "/v1/chat/completions", "{}", bearer("sk-nope"));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("\"error\"");
        HttpResponse<String> bad = post(router1.base() + "/v1/chat/completions", "{\"messages\": 3}", bearer(key));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("messages");
        HttpResponse<String> notJson = post(router2.base() + "/v1/retrieve", "{query", bearer(key));
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(post(router1.base() + "/admin/cache/flush", "{}", bearer(key)).statusCode())
                .as("the cache flush needs the admin key").isEqualTo(403);
        HttpResponse<String> badFlush = post(router1.base() + "/admin/cache/flush", "{\"tenant\": \"default\"}",
                bearer(ADMIN));
        assertThat(badFlush.statusCode()).isEqualTo(400);
        assertThat(badFlush.body()).contains("sources");
    }

    @Test
    @Order(5)
    void aCachedAnswerIsSharedReplayedAsSseAndDroppedWhenItsSourceIsReingested() throws Exception {
        String question = "How do I combine my last three commits into a single one?";
        HttpResponse<String> fresh = chat(router1, question, 6);
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
        assertThat(JSON.readTree(fresh.body()).path("cached").asBoolean()).isFalse();
        String answer = JSON.readTree(fresh.body()).path("choices").get(0).path("message").path("content").asText();

        // The other router answers from the shared cache, as a stream.
        HttpResponse<String> replay = post(router2.base() + "/v1/chat/completions", "{\"messages\": [{\"role\": "
                + "\"user\", \"content\": " + JSON.writeValueAsString(question) + "}], \"max_tokens\": 6, "
                + "\"stream\": true}", bearer(key));
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.headers().firstValue("content-type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/event-stream"));
        StringBuilder streamed = new StringBuilder();
        boolean cachedFlag = false;
        for (String line : replay.body().split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode event = JSON.readTree(line.substring(6));
                JsonNode choices = event.path("choices");
                if (!choices.isEmpty()) {
                    streamed.append(choices.get(0).path("delta").path("content").asText(""));
                }
                cachedFlag |= event.path("cached").asBoolean(false);
            }
        }
        assertThat(replay.body()).endsWith("data: [DONE]\n\n");
        assertThat(streamed.toString()).isEqualTo(answer);
        assertThat(cachedFlag).isTrue();

        // Re-ingesting the cited page (changed) through the CLI drops the entry on every router at once.
        Path corpus = dir.resolve("corpus-copy");
        copyTree(AppProcess.ROOT.resolve("samples/corpus"), corpus);
        Path page = corpus.resolve("git/rebase.md");
        Files.writeString(page, Files.readString(page) + "\n\nAn extra closing paragraph.\n");
        var reingest = run(Map.of("SEXTANT_REDIS_URL", "redis://127.0.0.1:" + redisPort), "ingest",
                corpus.toString(), "--data-dir", dir.resolve("data").toString());
        assertThat(reingest.exitCode()).as(reingest.output()).isZero();
        assertThat(reingest.output()).contains("invalidated");
        HttpResponse<String> after = chat(router2, question, 6);
        assertThat(JSON.readTree(after.body()).path("cached").asBoolean()).isFalse();

        HttpResponse<String> flush = post(router1.base() + "/admin/cache/flush", "", bearer(ADMIN));
        assertThat(flush.statusCode()).as(flush.body()).isEqualTo(200);
        assertThat(JSON.readTree(flush.body()).path("removed").asInt()).isPositive();
        assertThat(JSON.readTree(chat(router1, question, 6).body()).path("cached").asBoolean()).isFalse();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    @Order(6)
    void aReplicaKilledMidStreamEndsThatStreamWithAnErrorEventAndIsEjectedThenReturns() throws Exception {
        try (InputStream stream = openStream(router1, 1900)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            firstEvent(in);
            await("the stream's sequence running", () -> running(replicas.get(0)) + running(replicas.get(1)) == 1);
            Server victim = running(replicas.get(0)) > 0 ? replicas.get(0) : replicas.get(1);
            Server survivor = victim == replicas.get(0) ? replicas.get(1) : replicas.get(0);
            assertThat(running(victim)).isEqualTo(1.0);
            victim.kill();

            List<String> rest = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    rest.add(line);
                }
            }
            assertThat(rest).last().isEqualTo("data: [DONE]");
            assertThat(rest.get(rest.size() - 2)).contains("\"error\"").contains("inference");

            double before = generatedTokens(survivor);
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = chat(router1, "Question number " + i + " about rebasing", 3);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            assertThat(generatedTokens(survivor) - before).isEqualTo(12.0);
            await("the dead replica ejected", () -> replicaHealthy(router1, victim) == 0.0);

            // Started again on the same port, it passes probes and receives requests again.
            int index = replicas.indexOf(victim);
            Server restarted = AppProcess.start(dir.resolve("replica-restarted"), victim.port(), REPLICA_ENV,
                    "inference");
            replicas.set(index, restarted);
            await("the restarted replica back", () -> replicaHealthy(router1, restarted) == 1.0);
        }
    }

    @Test
    @Order(7)
    void withTheEmbeddingsServiceDownChatAnswersWithoutContextAndSaysSo() throws Exception {
        embeddings.kill();
        HttpResponse<String> r = chat(router2, "What does git bisect do?", 4);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("retrieval").asText()).isEqualTo("unavailable");
        assertThat(body.path("citations")).isEmpty();
        HttpResponse<String> direct = post(router2.base() + "/v1/embeddings", "{\"input\": \"x\"}", bearer(key));
        assertThat(direct.statusCode()).isEqualTo(503);
        assertThat(direct.body()).contains("embeddings");
        assertThat(get(router2.base() + "/q/metrics")).contains("sextant_router_hop_circuit_state{hop=\"embeddings\"}");
    }

    @Test
    @Order(8)
    void withRedisKilledRequestsAreStillServed() throws Exception {
        redis.destroyForcibly();
        assertThat(redis.waitFor(20, TimeUnit.SECONDS)).isTrue();
        for (Server router : List.of(router1, router2)) {
            HttpResponse<String> r = chat(router, "What is a rebase?", 3);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        assertThat(router1.process().isAlive()).isTrue();
    }
}
