package dev.sextant.eval.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.openai.WireFormatException;
import dev.sextant.openai.chat.CompletionChunk;
import dev.sextant.openai.chat.Usage;
import dev.sextant.openai.embeddings.EmbeddingsRequest;
import dev.sextant.openai.embeddings.EmbeddingsResponse;
import dev.sextant.openai.embeddings.EncodingFormat;
import dev.sextant.openai.error.OpenAiError;
import dev.sextant.openai.sse.BodyDrain;
import dev.sextant.openai.sse.ChunkListener;
import dev.sextant.openai.sse.ChunkStreamReader;
import dev.sextant.openai.sse.StreamChunk;
import dev.sextant.openai.sse.StreamEnd;
import java.io.IOException;
import java.io.InputStream;
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

    /**
     * One passage the answer came with.
     *
     * @param cited whether the answer cites it with a {@code [n]} marker; a passage the model saw but did not cite
     *              is context only. A server that does not say ({@code "cited"} absent) cites every passage.
     */
    public record Cited(String source, String text, boolean cited) {
    }

    /**
     * @param ttftNanos  from sending to the first generated text; -1 if none came
     * @param retrieval  the router's retrieval status ({@code ok}, {@code unavailable})
     * @param answerable the answerability gate's decision ({@code "answerable"}); null where the server sent none
     */
    public record Answer(String text, List<Cited> citations, boolean cached, String retrieval, long promptTokens,
                         long completionTokens, double costUsd, long ttftNanos, long totalNanos,
                         Boolean answerable) {
    }

    /** A message of a conversation sent to the target ({@code user} or {@code assistant}). */
    public record Message(String role, String content) {
    }

    /** What /v1/retrieve searched for a conversation, and found. */
    public record ConversationRetrieval(String query, String rewrite, List<Retrieved> results) {
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
        return results(send("v1/retrieve", body, apiKey));
    }

    /** /v1/retrieve given a conversation: the server rewrites its last message into the query it searches. */
    public ConversationRetrieval retrieve(List<Message> messages, String mode, int topK) {
        ObjectNode body = JSON.createObjectNode().put("mode", mode).put("top_k", topK).put("max_per_source", 0)
                .put("min_score", -1.0);
        addMessages(body, messages);
        JsonNode out = send("v1/retrieve", body, apiKey);
        return new ConversationRetrieval(out.path("query").asText(null), out.path("rewrite").asText(null),
                results(out));
    }

    private static List<Retrieved> results(JsonNode out) {
        List<Retrieved> results = new ArrayList<>();
        for (JsonNode r : out.path("results")) {
            results.add(new Retrieved(r.path("source").asText(), r.path("chunk_id").asText(),
                    r.path("score").asDouble(), r.path("text").asText()));
        }
        return results;
    }

    private static void addMessages(ObjectNode body, List<Message> messages) {
        var array = body.putArray("messages");
        messages.forEach(m -> array.addObject().put("role", m.role()).put("content", m.content()));
    }

    /** A streamed, greedy answer to one question, with its citations, usage and timings. */
    public Answer chat(String question, int maxTokens) {
        return chat(List.of(new Message("user", question)), maxTokens);
    }

    /** A streamed, greedy answer to the last message of a conversation. */
    public Answer chat(List<Message> messages, int maxTokens) {
        ObjectNode body = JSON.createObjectNode().put("max_tokens", maxTokens).put("stream", true)
                .put("temperature", 0.0);
        addMessages(body, messages);
        body.putObject("stream_options").put("include_usage", true);
        long start = System.nanoTime();
        HttpResponse<InputStream> response = exchange(request("v1/chat/completions", body, apiKey)
                .header("accept", "text/event-stream"), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST v1/chat/completions answered " + response.statusCode() + ": "
                        + OpenAiError.describe(in.readAllBytes()));
            }
            AnswerCollector answer = new AnswerCollector(start);
            StreamEnd end = ChunkStreamReader.read(in, answer);
            switch (end.how()) {
                case ERROR -> throw new IllegalStateException("the answer stream failed: " + end.error().message());
                case MALFORMED -> throw new IllegalStateException("the answer stream broke: " + end.describe());
                case DONE -> BodyDrain.drain(in);
                case CUT_OFF, STOPPED -> {
                    // what came is the answer; the server ended without [DONE]
                }
            }
            return answer.answer(System.nanoTime() - start);
        } catch (IOException e) {
            throw new IllegalStateException("the answer stream broke: " + e.getMessage(), e);
        }
    }

    /**
     * Gathers an answer from its chunks: the text of every content delta, and sextant's fields beside OpenAI's
     * (citations, {@code cached}, {@code retrieval}, {@code usage.cost_usd}) from whichever chunk carries them.
     */
    private static final class AnswerCollector implements ChunkListener {
        private final long start;
        private final StringBuilder text = new StringBuilder();
        private final List<Cited> citations = new ArrayList<>();
        private boolean cached;
        private String retrieval = "ok";
        private long prompt;
        private long completion;
        private double cost;
        private long ttft = -1;
        private Boolean answerable;

        AnswerCollector(long start) {
            this.start = start;
        }

        @Override
        public boolean onChunk(StreamChunk chunk) {
            CompletionChunk parsed = chunk.completion();
            if (parsed.hasText()) {
                if (ttft < 0) {
                    ttft = System.nanoTime() - start;
                }
                text.append(parsed.text());
            }
            JsonNode event = parsed.json();
            for (JsonNode c : event.path("citations")) {
                citations.add(new Cited(c.path("source").asText(), c.path("text").asText(),
                        c.path("cited").asBoolean(true)));
            }
            cached |= event.path("cached").asBoolean(false);
            retrieval = event.path("retrieval").asText(retrieval);
            if (event.path("answerable").isBoolean()) {
                answerable = event.get("answerable").booleanValue();
            }
            Usage usage = parsed.usage();
            if (usage != null) {
                prompt = usage.promptTokens();
                completion = usage.completionTokens();
                cost = event.path("usage").path("cost_usd").asDouble(0);
            }
            return true;
        }

        Answer answer(long totalNanos) {
            return new Answer(text.toString(), citations, cached, retrieval, prompt, completion, cost, ttft,
                    totalNanos, answerable);
        }
    }

    public List<float[]> embed(List<String> texts) {
        JsonNode out = send("v1/embeddings", EmbeddingsRequest.of(texts, null, EncodingFormat.FLOAT).toJsonNode(),
                apiKey);
        try {
            return EmbeddingsResponse.parse(out, texts.size()).vectors();
        } catch (WireFormatException e) {
            throw new IllegalStateException("POST v1/embeddings answered a body that does not fit: "
                    + e.getMessage(), e);
        }
    }

    /** Drops every cached answer (needs the admin key, or an open loopback server). */
    public void flushCache() {
        send("admin/cache/flush", JSON.createObjectNode(), adminKey != null ? adminKey : apiKey);
    }

    private JsonNode send(String path, ObjectNode body, String key) {
        HttpResponse<String> response = exchange(request(path, body, key), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                    + OpenAiError.describe(response.body().getBytes(StandardCharsets.UTF_8)));
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
