package dev.sextant.app.wiring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Which chat model runs when none is configured: SmolLM2-135M-Instruct int8 as {@code ./sextant model prepare}
 * leaves it in the data dir, else the small random-weight test decoder shipped in the inference jar (copied into the
 * data dir so it loads like any model directory), with a warning saying how to get the real one. int8, not int4:
 * the GGUF the weights come from is already 4-bit, and quantizing it to int4 again costs too much quality (see
 * inference/tools/README.md).
 */
final class DefaultModel {

    static final String PREPARED = "smollm2-135m-instruct-int8";
    static final String BUNDLED = "sextant-tiny-chat";
    private static final Logger LOG = Logger.getLogger(DefaultModel.class);
    private static final List<String> PREPARED_FILES = List.of("model.onnx", "model.onnx.data", "genai_config.json",
            "tokenizer.json", "tokenizer_config.json");
    private static final List<String> BUNDLED_FILES = List.of("model.onnx", "genai_config.json", "tokenizer.json",
            "tokenizer_config.json");

    private DefaultModel() {
    }

    static Path locate(Path dataDir) {
        Path models = dataDir.resolve("models");
        Path prepared = models.resolve(PREPARED);
        if (PREPARED_FILES.stream().allMatch(f -> Files.isRegularFile(prepared.resolve(f)))) {
            return prepared;
        }
        LOG.warnf("no prepared chat model in %s: using the random-weight test decoder (its text is gibberish); "
                + "run ./sextant model prepare for SmolLM2-135M-Instruct", prepared);
        return install(models);
    }

    private static Path install(Path modelsDir) {
        Path dir = modelsDir.resolve(BUNDLED);
        try {
            Files.createDirectories(dir);
            for (String file : BUNDLED_FILES) {
                try (InputStream in = DefaultModel.class.getResourceAsStream("/models/tiny-chat/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("bundled model file missing from the classpath: " + file);
                    }
                    byte[] bytes = in.readAllBytes();
                    Path target = dir.resolve(file);
                    if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), bytes)) {
                        Path tmp = dir.resolve(file + ".tmp");
                        Files.write(tmp, bytes);
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the bundled model into " + dir, e);
        }
    }
}
