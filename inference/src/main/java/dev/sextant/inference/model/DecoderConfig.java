package dev.sextant.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a decoder graph and its tensor names, read from an onnxruntime-genai {@code genai_config.json}.
 */
public record DecoderConfig(String modelFile, int numLayers, int numKvHeads, int numAttentionHeads, int headSize,
                            int vocabSize, int contextLength, List<Long> eosTokenIds, String inputIdsName,
                            String attentionMaskName, String pastKeyPattern, String pastValuePattern,
                            String logitsName, String presentKeyPattern, String presentValuePattern) {

    public DecoderConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    public String pastKey(int layer) {
        return pastKeyPattern.formatted(layer);
    }

    public String pastValue(int layer) {
        return pastValuePattern.formatted(layer);
    }

    public String presentKey(int layer) {
        return presentKeyPattern.formatted(layer);
    }

    public String presentValue(int layer) {
        return presentValuePattern.formatted(layer);
    }

    public static DecoderConfig readGenaiConfig(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot parse (" + e.getMessage() + ")", e);
        }
        JsonNode model = required(root, "model", file);
        JsonNode decoder = required(model, "decoder", file);
        JsonNode inputs = required(decoder, "inputs", file);
        JsonNode outputs = required(decoder, "outputs", file);
        List<Long> eos = new ArrayList<>();
        JsonNode eosNode = required(model, "eos_token_id", file);
        if (eosNode.isArray()) {
            eosNode.forEach(n -> eos.add(n.asLong()));
        } else {
            eos.add(eosNode.asLong());
        }
        return new DecoderConfig(
                decoder.path("filename").asText("model.onnx"),
                required(decoder, "num_hidden_layers", file).asInt(),
                required(decoder, "num_key_value_heads", file).asInt(),
                required(decoder, "num_attention_heads", file).asInt(),
                required(decoder, "head_size", file).asInt(),
                required(model, "vocab_size", file).asInt(),
                required(model, "context_length", file).asInt(),
                eos,
                inputs.path("input_ids").asText("input_ids"),
                inputs.path("attention_mask").asText("attention_mask"),
                inputs.path("past_key_names").asText("past_key_values.%d.key"),
                inputs.path("past_value_names").asText("past_key_values.%d.value"),
                outputs.path("logits").asText("logits"),
                outputs.path("present_key_names").asText("present.%d.key"),
                outputs.path("present_value_names").asText("present.%d.value"));
    }

    /**
     * A Hugging Face {@code config.json} beside an Optimum export ({@code model.onnx} with standard attention and
     * {@code past_key_values.N.key/value} → {@code present.N.key/value}).
     */
    public static DecoderConfig readHuggingFaceConfig(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot parse (" + e.getMessage() + ")", e);
        }
        int heads = required(root, "num_attention_heads", file).asInt();
        int headSize = root.hasNonNull("head_dim") ? root.get("head_dim").asInt()
                : required(root, "hidden_size", file).asInt() / heads;
        List<Long> eos = new ArrayList<>();
        JsonNode eosNode = required(root, "eos_token_id", file);
        if (eosNode.isArray()) {
            eosNode.forEach(n -> eos.add(n.asLong()));
        } else {
            eos.add(eosNode.asLong());
        }
        return new DecoderConfig("model.onnx", required(root, "num_hidden_layers", file).asInt(),
                root.path("num_key_value_heads").asInt(heads), heads, headSize,
                required(root, "vocab_size", file).asInt(), required(root, "max_position_embeddings", file).asInt(),
                eos, "input_ids", "attention_mask", "past_key_values.%d.key", "past_key_values.%d.value", "logits",
                "present.%d.key", "present.%d.value");
    }

    private static JsonNode required(JsonNode node, String field, Path file) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ModelLoadException(file + ": missing field '" + field + "'");
        }
        return value;
    }
}
