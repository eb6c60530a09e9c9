package dev.sextant.embeddings.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the pooling and length settings a sentence-transformers model directory carries. */
final class SentenceTransformersConfig {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SentenceTransformersConfig() {
    }

    static Pooling pooling(Path modelDir) {
        JsonNode config = read(modelDir.resolve("1_Pooling").resolve("config.json"));
        if (config == null) {
            return Pooling.MEAN;
        }
        if (config.path("pooling_mode_cls_token").asBoolean(false)) {
            return Pooling.CLS;
        }
        if (config.path("pooling_mode_mean_tokens").asBoolean(false)) {
            return Pooling.MEAN;
        }
        throw new IllegalArgumentException(modelDir.resolve("1_Pooling/config.json")
                + ": only CLS and mean pooling are supported");
    }

    static int maxSeqLength(Path modelDir, int absent) {
        JsonNode config = read(modelDir.resolve("sentence_bert_config.json"));
        return config == null ? absent : config.path("max_seq_length").asInt(absent);
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
