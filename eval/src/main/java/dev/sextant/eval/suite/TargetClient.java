package dev.sextant.eval.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The suite runner's view of a sextant server: its OpenAI-compatible API plus /v1/retrieve and the admin API. */
public final class TargetClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String apiKey;
    private final String adminKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    public TargetClient(URI base, String apiKey, String adminKey) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.apiKey = apiKey;
        this.adminKey = adminKey;
    }

    public record Retrieved(String source, String chunkId, double score, String text) {
    }

    public record Cited(String source, String text) {
    }

    /**
     * @param ttftNanos from sending to the first generated text; -1 if none came
     * @param retrieval the router's retrieval status ({@code ok}, {@code unavailable})
     */
    public record Answer(String text, List<Cited> citations, boolean cached, String retrieval, long promptTokens,
                         long completionTokens, double costUsd, long ttftNanos, long totalNanos) {
    }

    String apiKey() {
        return apiKey;
    }

    /** An endpoint of the target, {@code path} relative to its base ({@code v1/chat/completions}). */
    URI uri(String path) {
        return base.resolve(path);
    }

    public List<Retrieved> retrieve(String query, String mode, int topK) {
        ObjectNode body = JSON.createObjectNode().put("query", query).put("mode", mode).put("top_k", topK)
                .put("max_per_source", 0).put("min_score", -1.0);
        JsonNode out = send("v1/retrieve", body, apiKey);
        List<Retrieved> results = new ArrayList<>();
        for (JsonNode r : out.path("results")) {
            results.add(new Retrieved(r.path("source").asText(), r.path("chunk_id").asText(),
                    r.path("score").asDouble(), r.path("text").asText()));
        }
        return results;
    }

    /** A streamed, greedy answer to one question, with its citations, usage and timings. */
    public Answer chat(String question, int maxTokens) {
        ObjectNode body = JSON.createObjectNode().put("max_tokens", maxTokens).put("stream", true)
                .put("temperature", 0.0);
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        body.putObject("stream_options").put("include_usage", true);
        long start = System.nanoTime();
        HttpResponse<InputStream> response = exchange(request("v1/chat/completions", body, apiKey)
                .header("accept", "text/event-stream"), HttpResponse.BodyHandlers.ofInputStream());
        StringBuilder text = new StringBuilder();
        List<Cited> citations = new ArrayList<>();
        boolean cached = false;
        String retrieval = "ok";
        long prompt = 0;
        long completion = 0;
        double cost = 0;
        long ttft = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST v1/chat/completions answered " + response.statusCode() + ": "
                        + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode event = JSON.readTree(line.substring(6));
                if (event.has("error")) {
                    throw new IllegalStateException("the answer stream failed: "
                            + event.path("error").path("message").asText());
                }
                for (JsonNode choice : event.path("choices")) {
                    JsonNode content = choice.path("delta").path("content");
                    if (content.isTextual() && !content.asText().isEmpty()) {
                        if (ttft < 0) {
                            ttft = System.nanoTime() - start;
                        }
                        text.append(content.asText());
                    }
                }
                for (JsonNode c : event.path("citations")) {
                    citations.add(new Cited(c.path("source").asText(), c.path("text").asText()));
                }
                cached |= event.path("cached").asBoolean(false);
                retrieval = event.path("retrieval").asText(retrieval);
                JsonNode usage = event.get("usage");
                if (usage != null && usage.isObject()) {
                    prompt = usage.path("prompt_tokens").asLong();
                    completion = usage.path("completion_tokens").asLong();
                    cost = usage.path("cost_usd").asDouble(0);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the answer stream broke: " + e.getMessage(), e);
        }
        return new Answer(text.toString(), citations, cached, retrieval, prompt, completion, cost, ttft,
                System.nanoTime() - start);
    }

    public List<float[]> embed(List<String> texts) {
        ObjectNode body = JSON.createObjectNode();
        var input = body.putArray("input");
        texts.forEach(input::add);
        JsonNode out = send("v1/embeddings", body, apiKey);
        List<float[]> vectors = new ArrayList<>();
        for (JsonNode item : out.path("data")) {
            JsonNode values = item.path("embedding");
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) values.get(i).asDouble();
            }
            vectors.add(v);
        }
        return vectors;
    }

    /** Drops every cached answer (needs the admin key, or an open loopback server). */
    public void flushCache() {
        send("admin/cache/flush", JSON.createObjectNode(), adminKey != null ? adminKey : apiKey);
    }

    private JsonNode send(String path, ObjectNode body, String key) {
        HttpResponse<String> response = exchange(request(path, body, key), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " answered invalid JSON: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path, ObjectNode body, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(5))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (key != null) {
            builder.header("authorization", "Bearer " + key);
        }
        return builder;
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
