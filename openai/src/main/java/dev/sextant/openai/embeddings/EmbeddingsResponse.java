package dev.sextant.openai.embeddings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.openai.WireFormatException;
import dev.sextant.openai.WireJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A {@code /v1/embeddings} 200 body: {@code data[]} of {@code {index, embedding}}, {@code model}, {@code usage}.
 *
 * @param model        the model that made the vectors; null when the server named none
 * @param vectors      one per input, in input order
 * @param promptTokens {@code usage.prompt_tokens} (0 when the server reported no usage)
 * @param totalTokens  {@code usage.total_tokens} (for embeddings the same as the prompt tokens)
 */
public record EmbeddingsResponse(String model, List<float[]> vectors, long promptTokens, long totalTokens) {

    public EmbeddingsResponse {
        vectors = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(vectors, "vectors")));
    }

    public static EmbeddingsResponse of(String model, List<float[]> vectors, long tokens) {
        return new EmbeddingsResponse(model, vectors, tokens, tokens);
    }

    public ObjectNode toJsonNode(EncodingFormat format) {
        ObjectNode out = WireJson.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            float[] vector = vectors.get(i);
            if (format == EncodingFormat.BASE64) {
                item.put("embedding", Float32Base64.encode(vector));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", totalTokens);
        return out;
    }

    public byte[] toJson(EncodingFormat format) {
        return WireJson.write(toJsonNode(format));
    }

    /**
     * Reads the answer to a request of {@code inputs} texts and puts its vectors in input order by their
     * {@code index}. Both encodings are read whatever was asked for: some OpenAI-compatible servers ignore
     * {@code encoding_format}.
     *
     * @throws WireFormatException {@link WireFormatException.Problem#MALFORMED} for a body that is not this format,
     *                             {@link WireFormatException.Problem#INCONSISTENT} for one whose embeddings do not
     *                             match the inputs (count, an index out of range or repeated)
     */
    public static EmbeddingsResponse parse(byte[] body, int inputs) {
        JsonNode root;
        try {
            root = WireJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw WireFormatException.malformed(null, "the response is not JSON (" + e.getOriginalMessage() + ")",
                    e);
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory array failed", e);
        }
        return parse(root, inputs);
    }

    public static EmbeddingsResponse parse(JsonNode root, int inputs) {
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray()) {
            throw WireFormatException.malformed("data", "the response has no 'data' array");
        }
        if (data.size() != inputs) {
            throw WireFormatException.inconsistent("data", "the response has " + data.size() + " embeddings for "
                    + inputs + " inputs");
        }
        float[][] vectors = new float[inputs][];
        for (int item = 0; item < inputs; item++) {
            JsonNode entry = data.get(item);
            JsonNode index = entry.get("index");
            String at = "data[" + item + "]";
            if (index == null || !index.isIntegralNumber() || !index.canConvertToInt()) {
                throw WireFormatException.malformed(at + ".index", at + " has no integer index (got "
                        + WireJson.kind(index) + ")");
            }
            int i = index.intValue();
            if (i < 0 || i >= inputs) {
                throw WireFormatException.inconsistent(at + ".index", at + " has index " + i + " for " + inputs
                        + " inputs");
            }
            if (vectors[i] != null) {
                throw WireFormatException.inconsistent(at + ".index", "the response has index " + i + " twice");
            }
            vectors[i] = vector(entry.get("embedding"), at + ".embedding");
        }
        JsonNode usage = root.path("usage");
        long prompt = usage.path("prompt_tokens").asLong(usage.path("total_tokens").asLong(0));
        long total = usage.path("total_tokens").asLong(prompt);
        return new EmbeddingsResponse(textOrNull(root.get("model")), Arrays.asList(vectors), prompt, total);
    }

    private static float[] vector(JsonNode embedding, String field) {
        if (embedding != null && embedding.isTextual()) {
            try {
                return Float32Base64.decode(embedding.textValue());
            } catch (IllegalArgumentException e) {
                throw WireFormatException.malformed(field, field + " is not a base64 float32 vector: "
                        + e.getMessage(), e);
            }
        }
        if (embedding != null && embedding.isArray()) {
            float[] vector = new float[embedding.size()];
            for (int d = 0; d < vector.length; d++) {
                JsonNode value = embedding.get(d);
                if (!value.isNumber()) {
                    throw WireFormatException.malformed(field, field + "[" + d + "] is " + WireJson.kind(value)
                            + ", not a number");
                }
                vector[d] = value.floatValue();
            }
            return vector;
        }
        throw WireFormatException.malformed(field, field + " is neither a float array nor base64 (got "
                + WireJson.kind(embedding) + ")");
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
