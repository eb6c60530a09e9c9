package dev.sextant.eval.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.openai.error.OpenAiError;
import dev.sextant.rag.conversation.ChatModel;
import dev.sextant.rag.conversation.ConversationTurn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@link ChatModel} over an OpenAI-compatible {@code /v1/chat/completions} (sextant's {@code inference} or
 * {@code serve}, or any other server): greedy, not streamed. Failures are exceptions, which the condenser turns
 * into its fallback.
 */
public final class HttpChatModel implements ChatModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    /**
     * @param base   the server ({@code http://127.0.0.1:8090}); {@code v1/chat/completions} is resolved against it
     * @param apiKey sent as a bearer token; null for none
     */
    public HttpChatModel(URI base, String apiKey, Duration timeout) {
        String s = base.toString();
        this.endpoint = URI.create(s.endsWith("/") ? s : s + "/").resolve("v1/chat/completions");
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    @Override
    public Reply complete(Request request) {
        ObjectNode body = JSON.createObjectNode().put("max_tokens", request.maxTokens()).put("temperature", 0.0)
                .put("stream", false);
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        ArrayNode messages = body.putArray("messages");
        for (ConversationTurn turn : request.messages()) {
            messages.addObject().put("role", turn.role()).put("content", turn.content());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) {
            builder.header("authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(endpoint + " answered " + response.statusCode() + ": "
                    + OpenAiError.describe(response.body().getBytes(StandardCharsets.UTF_8)));
        }
        try {
            JsonNode reply = JSON.readTree(response.body());
            JsonNode content = reply.path("choices").path(0).path("message").path("content");
            if (!content.isTextual()) {
                throw new IllegalStateException(endpoint + " answered no choices[0].message.content");
            }
            JsonNode usage = reply.path("usage");
            return new Reply(content.asText(), Math.max(0, usage.path("prompt_tokens").asLong(0)),
                    Math.max(0, usage.path("completion_tokens").asLong(0)));
        } catch (IOException e) {
            throw new IllegalStateException(endpoint + " answered invalid JSON: " + e.getMessage(), e);
        }
    }
}
