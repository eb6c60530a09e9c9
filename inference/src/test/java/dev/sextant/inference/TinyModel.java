package dev.sextant.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The bundled test decoder and the reference outputs its generator computed with onnxruntime (Python). */
public final class TinyModel {

    private TinyModel() {
    }

    public static Path dir() {
        try {
            return Path.of(TinyModel.class.getResource("/models/tiny-chat/genai_config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode reference() {
        try {
            return new ObjectMapper().readTree(dir().resolve("reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
