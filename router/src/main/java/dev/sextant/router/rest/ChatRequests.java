package dev.sextant.router.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.ResponseFormat;
import dev.sextant.inference.api.SamplingParams;
import dev.sextant.inference.structured.JsonSchemaCompiler;
import dev.sextant.inference.structured.UnsupportedSchemaException;
import dev.sextant.router.chat.ChatCompletionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads OpenAI chat (and the shared sampling fields of text) completion requests; a bad field is a 400 naming it. */
final class ChatRequests {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    static final int MAX_TOKENS_LIMIT = 32_768;

    private ChatRequests() {
    }

    static ChatCompletionRequest parse(ObjectNode body, int defaultMaxTokens) {
        RequestFields.check(body, RequestFields.CHAT);
        int topLogprobs = topLogprobs(body);
        String model = JsonFields.string(body, "model", null);
        List<ChatMessage> messages = messages(body.get("messages"));
        boolean stream = JsonFields.bool(body, "stream", false);
        int maxTokens = JsonFields.integer(body, "max_completion_tokens",
                JsonFields.integer(body, "max_tokens", defaultMaxTokens, 1, MAX_TOKENS_LIMIT), 1, MAX_TOKENS_LIMIT);
        List<String> stop = JsonFields.stringOrList(body, "stop", 4);
        SamplingParams sampling = sampling(body);
        requireSingleChoice(body);
        boolean ignoreEos = ignoreEos(body);
        boolean includeUsage = false;
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!(options instanceof ObjectNode o)) {
                throw ApiException.invalid("stream_options", "'stream_options' must be an object, got "
                        + JsonFields.kind(options));
            }
            includeUsage = JsonFields.bool(o, "include_usage", false);
        }
        return new ChatCompletionRequest(model, messages, stream, maxTokens, stop, sampling, includeUsage, ignoreEos,
                responseFormat(body.get("response_format")), topLogprobs);
    }

    /** OpenAI's {@code logprobs} and {@code top_logprobs}: -1 for none, else how many alternatives per token. */
    static int topLogprobs(ObjectNode body) {
        boolean logprobs = JsonFields.bool(body, "logprobs", false);
        JsonNode top = body.get("top_logprobs");
        if (top == null || top.isNull()) {
            return logprobs ? 0 : -1;
        }
        int n = JsonFields.integer(body, "top_logprobs", 0, 0, GenerationRequest.MAX_TOP_LOGPROBS);
        if (!logprobs) {
            throw ApiException.invalid("top_logprobs", "'top_logprobs' needs 'logprobs': true");
        }
        return n;
    }

    /**
     * OpenAI's {@code response_format}: {@code text}, {@code json_object}, or {@code json_schema} with a name and a
     * schema. The schema is compiled here, so one decoding cannot enforce is refused before retrieval or budget.
     */
    static ResponseFormat responseFormat(JsonNode node) {
        if (node == null || node.isNull()) {
            return ResponseFormat.TEXT;
        }
        if (!(node instanceof ObjectNode format)) {
            throw ApiException.invalid("response_format", "'response_format' must be an object, got "
                    + JsonFields.kind(node));
        }
        String type = JsonFields.string(format, "type", null);
        if (type == null) {
            throw ApiException.invalid("response_format.type", "'response_format.type' is required");
        }
        switch (type) {
            case "text", "json_object" -> {
                only(format, "response_format", Set.of("type"));
                return type.equals("text") ? ResponseFormat.TEXT : ResponseFormat.JSON_OBJECT;
            }
            case "json_schema" -> {
                only(format, "response_format", Set.of("type", "json_schema"));
                if (!(format.get("json_schema") instanceof ObjectNode spec)) {
                    throw ApiException.invalid("response_format.json_schema", "'response_format.json_schema' is "
                            + "required with type json_schema and must be an object");
                }
                only(spec, "response_format.json_schema", Set.of("name", "schema", "strict", "description"));
                String name = JsonFields.string(spec, "name", null);
                if (name == null || !NAME.matcher(name).matches()) {
                    throw ApiException.invalid("response_format.json_schema.name", "'response_format.json_schema"
                            + ".name' is required: 1 to 64 letters, digits, '_' or '-'");
                }
                JsonNode schema = spec.get("schema");
                if (schema == null || !(schema.isObject() || schema.isBoolean())) {
                    throw ApiException.invalid("response_format.json_schema.schema", "'response_format.json_schema"
                            + ".schema' is required and must be a JSON Schema object");
                }
                try {
                    JsonSchemaCompiler.compile(schema);
                } catch (UnsupportedSchemaException e) {
                    throw ApiException.invalid("response_format.json_schema.schema", "response_format.json_schema."
                            + e.getMessage());
                }
                return new ResponseFormat.JsonSchema(name, schema.toString(), JsonFields.bool(spec, "strict", false));
            }
            default -> throw ApiException.invalid("response_format.type", "'response_format.type' must be one of "
                    + "text, json_object, json_schema; got '" + type + "'");
        }
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Refuses fields of {@code object} outside {@code allowed}: none is ignored silently. */
    private static void only(ObjectNode object, String where, Set<String> allowed) {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw ApiException.invalid(where + "." + field, "'" + where + "." + field + "' is not supported");
            }
        }
    }

    /**
     * OpenAI's {@code temperature}, {@code top_p} and {@code seed}, plus vLLM's {@code top_k} and
     * {@code repetition_penalty}, and OpenAI's {@code presence_penalty}/{@code frequency_penalty}. Unlike OpenAI, the
     * default temperature is 0 (greedy): reproducible answers are what a RAG service and its cache want.
     */
    static SamplingParams sampling(ObjectNode body) {
        double temperature = JsonFields.number(body, "temperature", 0.0, 0.0, 2.0);
        double topP = JsonFields.number(body, "top_p", 1.0, 0.0, 1.0);
        if (topP == 0) {
            throw ApiException.invalid("top_p", "'top_p' must be greater than 0");
        }
        int topK = JsonFields.integer(body, "top_k", 0, 0, 1_000_000);
        double repetition = JsonFields.number(body, "repetition_penalty", 1.0, 0.01, 10.0);
        double presence = JsonFields.number(body, "presence_penalty", 0.0, -2.0, 2.0);
        double frequency = JsonFields.number(body, "frequency_penalty", 0.0, -2.0, 2.0);
        JsonNode seedNode = body.get("seed");
        Long seed = null;
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.isIntegralNumber() || !seedNode.canConvertToLong()) {
                throw ApiException.invalid("seed", "'seed' must be an integer, got " + JsonFields.kind(seedNode));
            }
            seed = seedNode.longValue();
        }
        return new SamplingParams(temperature, topK, topP, repetition, presence, frequency, seed);
    }

    /** vLLM's {@code ignore_eos}, for load tests and benchmarks that need every answer {@code max_tokens} long. */
    static boolean ignoreEos(ObjectNode body) {
        return JsonFields.bool(body, "ignore_eos", false);
    }

    /** OpenAI's {@code messages}: each a role and a string or text parts; at least one user message. */
    static List<ChatMessage> messages(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiException.invalid("messages", "'messages' is required");
        }
        if (!(node instanceof ArrayNode array)) {
            throw ApiException.invalid("messages", "'messages' must be an array, got " + JsonFields.kind(node));
        }
        if (array.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' must contain at least one message");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String param = "messages[" + i + "]";
            if (!(array.get(i) instanceof ObjectNode m)) {
                throw ApiException.invalid(param, param + " must be an object, got " + JsonFields.kind(array.get(i)));
            }
            String role = JsonFields.string(m, "role", null);
            if (role == null) {
                throw ApiException.invalid(param + ".role", param + ".role is required");
            }
            if (!ROLES.contains(role)) {
                throw ApiException.invalid(param + ".role", param + ".role must be one of " + ROLES + ", got '"
                        + role + "'");
            }
            out.add(new ChatMessage(role.equals("developer") ? "system" : role, content(m.get("content"), param)));
        }
        if (out.stream().noneMatch(m -> m.role().equals("user"))) {
            throw ApiException.invalid("messages", "'messages' must contain a user message");
        }
        return out;
    }

    /** {@code n} other than 1 would need several sequences per request; refused rather than ignored. */
    static void requireSingleChoice(ObjectNode body) {
        int n = JsonFields.integer(body, "n", 1, 1, 128);
        if (n != 1) {
            throw ApiException.invalid("n", "'n' = " + n + " is not supported; send separate requests");
        }
    }

    /** A string, or an array of {@code {"type": "text", "text": ...}} parts joined together. */
    private static String content(JsonNode node, String param) {
        String field = param + ".content";
        if (node == null || node.isNull()) {
            throw ApiException.invalid(field, field + " is required");
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node instanceof ArrayNode parts) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : parts) {
                if (!part.path("type").asText("").equals("text") || !part.path("text").isTextual()) {
                    throw ApiException.invalid(field, field + " parts must be {\"type\": \"text\", \"text\": ...}");
                }
                sb.append(part.get("text").textValue());
            }
            return sb.toString();
        }
        throw ApiException.invalid(field, field + " must be a string or an array of text parts, got "
                + JsonFields.kind(node));
    }
}
