package dev.sextant.embeddings.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.embeddings.EmbeddingServiceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** OpenAI's {@code /v1/embeddings} JSON: the request body, the response's vectors, the error body's message. */
final class EmbeddingsWire {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What one response said.
     *
     * @param model        the model the service says it used; null when it named none
     * @param vectors      one per input, in input order
     * @param promptTokens tokens the service read (0 when it reported no usage)
     */
    record Response(String model, List<float[]> vectors, long promptTokens) {
    }

    private EmbeddingsWire() {
    }

    /** Asks for base64: a 384-float vector is ~2 KB of base64 against ~4 KB of decimal text, and decodes faster. */
    static byte[] requestBody(List<String> texts, String model) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        if (model != null) {
            body.put("model", model);
        }
        body.put("encoding_format", "base64");
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an embeddings request", e);
        }
    }

    /**
     * The vectors of a 200 response to {@code inputs} texts, put in input order by their {@code index}. Both
     * encodings are read whatever was asked for: some OpenAI-compatible servers ignore {@code encoding_format}.
     *
     * @param where names the service in error messages
     */
    static Response parse(byte[] body, int inputs, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw broken(where, "a response that is not JSON (" + why + ")", e);
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray()) {
            throw broken(where, "a response without a 'data' array", null);
        }
        if (data.size() != inputs) {
            throw EmbeddingServiceException.incompatible(where + " returned " + data.size() + " embeddings for "
                    + inputs + " inputs");
        }
        float[][] vectors = new float[inputs][];
        for (JsonNode item : data) {
            JsonNode index = item.get("index");
            if (index == null || !index.canConvertToInt() || index.intValue() < 0 || index.intValue() >= inputs) {
                throw EmbeddingServiceException.incompatible(where + " returned an embedding with index " + index
                        + " for " + inputs + " inputs");
            }
            int i = index.intValue();
            if (vectors[i] != null) {
                throw EmbeddingServiceException.incompatible(where + " returned index " + i + " twice");
            }
            vectors[i] = vector(item.get("embedding"), i, where);
        }
        JsonNode model = root.get("model");
        JsonNode usage = root.path("usage");
        long tokens = usage.path("prompt_tokens").asLong(usage.path("total_tokens").asLong(0));
        return new Response(model == null || model.isNull() ? null : model.asText(), Arrays.asList(vectors), tokens);
    }

    /** The message of OpenAI's {@code {"error": {"message": ..}}}, else the start of whatever the body is. */
    static String errorMessage(byte[] body) {
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            if (message.isTextual() && !message.textValue().isBlank()) {
                return message.textValue();
            }
        } catch (IOException | RuntimeException notJson) {
            // Proxies and load balancers answer in HTML or plain text; show that instead.
        }
        String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static float[] vector(JsonNode embedding, int index, String where) {
        if (embedding != null && embedding.isTextual()) {
            return decodeBase64(embedding.textValue(), index, where);
        }
        if (embedding != null && embedding.isArray()) {
            float[] vector = new float[embedding.size()];
            for (int d = 0; d < vector.length; d++) {
                JsonNode value = embedding.get(d);
                if (!value.isNumber()) {
                    throw broken(where, "a non-number in embedding " + index, null);
                }
                vector[d] = value.floatValue();
            }
            return vector;
        }
        throw broken(where, "embedding " + index + " that is neither a float array nor base64", null);
    }

    /** OpenAI's base64 format: the vector's float32 values, little-endian, base64-encoded. */
    private static float[] decodeBase64(String text, int index, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw broken(where, "embedding " + index + " in broken base64 (" + e.getMessage() + ")", e);
        }
        if (bytes.length % Float.BYTES != 0) {
            throw broken(where, "embedding " + index + " of " + bytes.length + " bytes, not whole float32s", null);
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    /** A mangled body is most likely a transport or proxy fault: the same request may well succeed again. */
    private static EmbeddingServiceException broken(String where, String what, Throwable cause) {
        return EmbeddingServiceException.unavailable(where + " returned " + what, 200, cause);
    }
}
