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
import dev.sextant.inference.api.ResponseFormat;
import dev.sextant.inference.api.TokenLogprob;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.openai.chat.CompletionChunk;
import dev.sextant.openai.chat.Usage;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Talks to a sextant inference service (or any OpenAI-compatible server) over HTTP: streaming chat and text
 * completions read from server-sent events ({@code dev.sextant.openai}). A finished stream's body is read to its
 * end, so one kept-alive connection serves the streams that follow; a cancelled {@link TokenStream} closes the
 * connection instead, which makes the server stop generating and free the sequence's cache.
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
        // Response stages run on the client's selector thread instead of hopping to a pool thread for each one:
        // the body goes to a blocking InputStream read by the caller, so no caller code runs on that thread.
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .executor(Runnable::run).build();
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
                throw errorFrom(response.statusCode(), in.readAllBytes());
            }
            return readEvents(in, stream, request);
        } catch (IOException e) {
            throw unavailable("stream from " + base + " broke: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the stream to its deciding event, then the body to its end: only a body read to its end lets the HTTP
     * client reuse the connection for the next stream. A cancelled stream is the exception: it returns with the
     * body unread, and closing it closes the connection, which is how the server sees the client leave.
     */
    private GenerationResult readEvents(InputStream in, TokenStream stream, GenerationRequest request)
            throws IOException {
        Collector collected = new Collector(request.model(), stream);
        StreamEnd end = ChunkStreamReader.read(in, collected);
        switch (end.how()) {
            case STOPPED -> {
                return collected.result(FinishReason.CANCELLED);
            }
            case ERROR -> {
                BodyDrain.drain(in);
                throw new InferenceException(InferenceException.Kind.INTERNAL, "inference service: "
                        + end.error().message());
            }
            case MALFORMED -> throw unavailable("stream from " + base + " broke: " + end.describe(), null);
            case DONE -> BodyDrain.drain(in);
            case CUT_OFF -> {
                // at the end of the body already; a stream that gave its finish reason is complete enough
            }
        }
        if (collected.finish == null) {
            throw unavailable("stream from " + base + " ended without a finish reason", null);
        }
        return collected.result(collected.finish);
    }

    /** Passes the text on as it arrives and keeps what the result needs. */
    private static final class Collector implements ChunkListener {
        private final TokenStream stream;
        private final StringBuilder text = new StringBuilder();
        private String model;
        private FinishReason finish;
        private int promptTokens;
        private int completionTokens;
        private final List<TokenLogprob> logprobs = new ArrayList<>();

        Collector(String model, TokenStream stream) {
            this.model = model;
            this.stream = stream;
        }

        @Override
        public boolean onChunk(StreamChunk chunk) {
            if (stream.isCancelled()) {
                return false;
            }
            CompletionChunk event = chunk.completion();
            if (event.model() != null) {
                model = event.model();
            }
            Usage usage = event.usage();
            if (usage != null) {
                promptTokens = (int) usage.promptTokens();
                completionTokens = (int) usage.completionTokens();
            }
            List<TokenLogprob> logprobs = logprobs(event.json());
            if (!logprobs.isEmpty()) {
                this.logprobs.addAll(logprobs);
                stream.onLogprobs(logprobs);
            }
            for (CompletionChunk.Choice choice : event.choices()) {
                if (!choice.text().isEmpty()) {
                    text.append(choice.text());
                    stream.onText(choice.text());
                }
                if (choice.finishReason() != null) {
                    finish = parseFinish(choice.finishReason());
                }
            }
            return true;
        }

        GenerationResult result(FinishReason reason) {
            return new GenerationResult(model, text.toString(), reason, promptTokens, completionTokens, logprobs);
        }

        /** The first choice's log-probabilities in a chunk, as OpenAI writes them for chat or for completions. */
        private static List<TokenLogprob> logprobs(JsonNode chunk) {
            JsonNode logprobs = chunk.path("choices").path(0).path("logprobs");
            List<TokenLogprob> out = new ArrayList<>();
            if (logprobs.has("tokens")) {
                for (int i = 0; i < logprobs.path("tokens").size(); i++) {
                    List<TokenLogprob.Alternative> top = new ArrayList<>();
                    logprobs.path("top_logprobs").path(i).properties().forEach(e -> top.add(
                            new TokenLogprob.Alternative(e.getKey(), utf8(e.getKey()), e.getValue().asDouble())));
                    String token = logprobs.path("tokens").path(i).asText();
                    out.add(new TokenLogprob(token, utf8(token), logprobs.path("token_logprobs").path(i).asDouble(),
                            top));
                }
                return out;
            }
            JsonNode content = logprobs.path("content");
            for (JsonNode t : content) {
                List<TokenLogprob.Alternative> top = new ArrayList<>();
                for (JsonNode a : t.path("top_logprobs")) {
                    top.add(new TokenLogprob.Alternative(a.path("token").asText(), bytes(a), a.path("logprob")
                            .asDouble()));
                }
                out.add(new TokenLogprob(t.path("token").asText(), bytes(t), t.path("logprob").asDouble(), top));
            }
            return out;
        }

        private static byte[] utf8(String text) {
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        private static byte[] bytes(JsonNode token) {
            JsonNode b = token.path("bytes");
            if (!b.isArray()) {
                return token.path("token").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            byte[] out = new byte[b.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) b.get(i).asInt();
            }
            return out;
        }
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
        if (request.ignoreEos()) {
            body.put("ignore_eos", true);
        }
        if (request.logprobs()) {
            if (request.prompt() instanceof Prompt.Text) {
                body.put("logprobs", request.topLogprobs()); // the legacy completions API: an integer
            } else {
                body.put("logprobs", true).put("top_logprobs", request.topLogprobs());
            }
        }
        switch (request.format()) {
            case ResponseFormat.Text t -> {
            }
            case ResponseFormat.JsonObject o -> body.putObject("response_format").put("type", "json_object");
            case ResponseFormat.JsonSchema s -> {
                ObjectNode spec = body.putObject("response_format").put("type", "json_schema")
                        .putObject("json_schema").put("name", s.name()).put("strict", s.strict());
                try {
                    spec.set("schema", JSON.readTree(s.schema()));
                } catch (java.io.IOException e) {
                    throw new InferenceException(InferenceException.Kind.INVALID_REQUEST,
                            "response_format.json_schema.schema is not JSON: " + e.getMessage(), e);
                }
            }
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

    private static InferenceException errorFrom(int status, byte[] body) {
        String message = OpenAiError.describe(body);
        boolean unknownModel = status == 404 && OpenAiError.parse(body).map(OpenAiError::code)
                .filter("model_not_found"::equals).isPresent();
        InferenceException.Kind kind = status == 429 ? InferenceException.Kind.OVERLOADED
                : unknownModel ? InferenceException.Kind.MODEL_NOT_FOUND
                : status >= 400 && status < 500 ? InferenceException.Kind.INVALID_REQUEST
                : InferenceException.Kind.INTERNAL;
        return new InferenceException(kind, message);
    }

    private InferenceException unavailable(String message, Throwable cause) {
        return new InferenceException(InferenceException.Kind.INTERNAL, "inference service " + message, cause);
    }
}
