package dev.sextant.inference.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.TokenStream;
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

/**
 * Talks to a sextant inference service (or any OpenAI-compatible server) over HTTP: streaming chat and text
 * completions parsed from server-sent events. A cancelled {@link TokenStream} closes the connection, which makes
 * the server stop generating and free the sequence's cache.
 */
public final class HttpInferenceClient implements InferenceClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final String apiKey;
    private volatile List<ModelInfo> models;

    public HttpInferenceClient(URI base, Duration connectTimeout) {
        this(base, connectTimeout, null);
    }

    /** @param apiKey sent as {@code Authorization: Bearer} (a service that requires keys); null sends none */
    public HttpInferenceClient(URI base, Duration connectTimeout, String apiKey) {
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public List<ModelInfo> models() {
        List<ModelInfo> known = models;
        if (known != null) {
            return known;
        }
        try {
            HttpResponse<String> response = http.send(authorized(HttpRequest.newBuilder(base.resolve("v1/models")))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw unavailable("GET /v1/models answered " + response.statusCode(), null);
            }
            List<ModelInfo> out = new ArrayList<>();
            for (JsonNode m : JSON.readTree(response.body()).path("data")) {
                out.add(new ModelInfo(m.path("id").asText(), m.path("context_length").asInt(0)));
            }
            if (out.isEmpty()) {
                throw unavailable("GET /v1/models listed no model", null);
            }
            models = List.copyOf(out);
            return models;
        } catch (IOException e) {
            throw unavailable("cannot reach " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted", e);
        }
    }

    @Override
    public GenerationResult generate(GenerationRequest request, TokenStream stream) {
        boolean chat = request.prompt() instanceof Prompt.Chat;
        HttpRequest httpRequest = authorized(HttpRequest.newBuilder(base.resolve(chat ? "v1/chat/completions"
                        : "v1/completions")))
                .timeout(request.timeout())
                .header("content-type", "application/json")
                .header("accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body(request).toString()))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unavailable("cannot reach " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted", e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw errorFrom(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return readEvents(in, stream, chat, request);
        } catch (IOException e) {
            throw unavailable("stream from " + base + " broke: " + e.getMessage(), e);
        }
    }

    private GenerationResult readEvents(InputStream in, TokenStream stream, boolean chat, GenerationRequest request)
            throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder text = new StringBuilder();
        String model = request.model();
        FinishReason finish = null;
        int promptTokens = 0;
        int completionTokens = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            if (stream.isCancelled()) {
                // Closing the body closes the connection: the server sees the client leave.
                return new GenerationResult(model, text.toString(), FinishReason.CANCELLED, promptTokens,
                        completionTokens);
            }
            if (!line.startsWith("data: ")) {
                continue;
            }
            String data = line.substring(6);
            if (data.equals("[DONE]")) {
                break;
            }
            JsonNode event = JSON.readTree(data);
            if (event.has("error")) {
                throw new InferenceException(InferenceException.Kind.INTERNAL, "inference service: "
                        + event.path("error").path("message").asText());
            }
            model = event.path("model").asText(model);
            JsonNode usage = event.get("usage");
            if (usage != null && !usage.isNull()) {
                promptTokens = usage.path("prompt_tokens").asInt();
                completionTokens = usage.path("completion_tokens").asInt();
            }
            for (JsonNode choice : event.path("choices")) {
                String delta = chat ? choice.path("delta").path("content").asText("")
                        : choice.path("text").asText("");
                if (!delta.isEmpty()) {
                    text.append(delta);
                    stream.onText(delta);
                }
                JsonNode reason = choice.get("finish_reason");
                if (reason != null && !reason.isNull()) {
                    finish = parseFinish(reason.asText());
                }
            }
        }
        if (finish == null) {
            throw unavailable("stream from " + base + " ended without a finish reason", null);
        }
        return new GenerationResult(model, text.toString(), finish, promptTokens, completionTokens);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return apiKey == null ? builder : builder.header("authorization", "Bearer " + apiKey);
    }

    private static ObjectNode body(GenerationRequest request) {
        ObjectNode body = JSON.createObjectNode();
        if (request.model() != null) {
            body.put("model", request.model());
        }
        switch (request.prompt()) {
            case Prompt.Chat chat -> {
                ArrayNode messages = body.putArray("messages");
                for (ChatMessage m : chat.messages()) {
                    messages.addObject().put("role", m.role()).put("content", m.content());
                }
            }
            case Prompt.Text text -> body.put("prompt", text.text());
        }
        body.put("max_tokens", request.maxTokens());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        var sampling = request.sampling();
        body.put("temperature", sampling.temperature());
        body.put("top_p", sampling.topP());
        body.put("top_k", sampling.topK());
        body.put("repetition_penalty", sampling.repetitionPenalty());
        body.put("presence_penalty", sampling.presencePenalty());
        body.put("frequency_penalty", sampling.frequencyPenalty());
        if (sampling.seed() != null) {
            body.put("seed", sampling.seed());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        return body;
    }

    private static FinishReason parseFinish(String wire) {
        for (FinishReason r : FinishReason.values()) {
            if (r.wireName().equals(wire)) {
                return r;
            }
        }
        return FinishReason.STOP;
    }

    private InferenceException errorFrom(int status, String body) {
        String message;
        try {
            message = JSON.readTree(body).path("error").path("message").asText(body);
        } catch (IOException e) {
            message = body;
        }
        InferenceException.Kind kind = status == 429 ? InferenceException.Kind.OVERLOADED
                : status >= 400 && status < 500 ? InferenceException.Kind.INVALID_REQUEST
                : InferenceException.Kind.INTERNAL;
        return new InferenceException(kind, message);
    }

    private InferenceException unavailable(String message, Throwable cause) {
        return new InferenceException(InferenceException.Kind.INTERNAL, "inference service " + message, cause);
    }
}
