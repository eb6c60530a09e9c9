package dev.sextant.openai.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.openai.WireFormatException;
import dev.sextant.openai.WireJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code POST /v1/embeddings} body. A client may build any request (the server is the judge of what it
 * accepts); {@link #parse} checks what a server needs: at least one text, none empty.
 *
 * @param input          the texts (the wire also allows one string: read as a list of one)
 * @param model          the model asked for; null lets the server choose (sextant: its only model)
 * @param encodingFormat how the vectors should come back
 * @param dimensions     the vector length asked for; null when not given
 */
public record EmbeddingsRequest(List<String> input, String model, EncodingFormat encodingFormat,
                                Integer dimensions) {

    public EmbeddingsRequest {
        Objects.requireNonNull(input, "input");
        for (int i = 0; i < input.size(); i++) {
            if (input.get(i) == null) {
                throw new NullPointerException("input[" + i + "] is null");
            }
        }
        input = List.copyOf(input);
        Objects.requireNonNull(encodingFormat, "encodingFormat");
    }

    public static EmbeddingsRequest of(List<String> input, String model, EncodingFormat encodingFormat) {
        return new EmbeddingsRequest(input, model, encodingFormat, null);
    }

    /** The body; {@code model} and {@code dimensions} only when set, {@code input} always as an array. */
    public ObjectNode toJsonNode() {
        ObjectNode body = WireJson.MAPPER.createObjectNode();
        ArrayNode texts = body.putArray("input");
        input.forEach(texts::add);
        if (model != null) {
            body.put("model", model);
        }
        body.put("encoding_format", encodingFormat.wireName());
        if (dimensions != null) {
            body.put("dimensions", dimensions);
        }
        return body;
    }

    public byte[] toJson() {
        return WireJson.write(toJsonNode());
    }

    public static EmbeddingsRequest parse(byte[] body) {
        return parse(WireJson.parse(body, "the request body"));
    }

    /**
     * Reads a request body as a server gets it. Fields other than these four ({@code user}) are ignored, as OpenAI
     * clients send them.
     *
     * @throws WireFormatException naming the field that is wrong
     */
    public static EmbeddingsRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw WireFormatException.malformed(null, "the request body must be a JSON object, got "
                    + WireJson.kind(body));
        }
        List<String> input = input(body.get("input"));
        checkInput(input);
        String model = WireJson.optionalString(body, "model");
        String format = WireJson.optionalString(body, "encoding_format");
        EncodingFormat encoding = format == null ? EncodingFormat.FLOAT : EncodingFormat.fromWire(format);
        return new EmbeddingsRequest(input, model, encoding, dimensions(body.get("dimensions")));
    }

    private static List<String> input(JsonNode input) {
        if (input == null || input.isNull()) {
            throw WireFormatException.malformed("input", "'input' is required");
        }
        if (input.isTextual()) {
            return List.of(input.textValue());
        }
        if (!input.isArray()) {
            throw WireFormatException.malformed("input", "'input' must be a string or an array of strings, got "
                    + WireJson.kind(input));
        }
        List<String> out = new ArrayList<>(input.size());
        for (JsonNode item : input) {
            if (!item.isTextual()) {
                throw WireFormatException.malformed("input", "input[" + out.size() + "] must be a string, got "
                        + WireJson.kind(item) + " (token arrays are not supported)");
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static void checkInput(List<String> input) {
        if (input.isEmpty()) {
            throw WireFormatException.malformed("input", "'input' must not be empty");
        }
        for (int i = 0; i < input.size(); i++) {
            if (input.get(i).isEmpty()) {
                throw WireFormatException.malformed("input", "input[" + i + "] is empty");
            }
        }
    }

    private static Integer dimensions(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw WireFormatException.malformed("dimensions", "'dimensions' must be an integer, got "
                    + WireJson.kind(n));
        }
        if (n.intValue() < 1) {
            throw WireFormatException.malformed("dimensions", "'dimensions' must be at least 1, got " + n.intValue());
        }
        return n.intValue();
    }
}
