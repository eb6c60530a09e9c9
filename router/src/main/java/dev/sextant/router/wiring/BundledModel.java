package dev.sextant.router.wiring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The small random-weight test decoder shipped in the inference jar, copied into the data dir so it is loaded like
 * any other model directory. Stands in until the real default chat model is prepared.
 */
final class BundledModel {

    static final String NAME = "tiny-chat";
    private static final List<String> FILES = List.of("model.onnx", "genai_config.json", "tokenizer.json",
            "tokenizer_config.json");

    private BundledModel() {
    }

    static Path install(Path modelsDir) {
        Path dir = modelsDir.resolve(NAME);
        try {
            Files.createDirectories(dir);
            for (String file : FILES) {
                try (InputStream in = BundledModel.class.getResourceAsStream("/models/" + NAME + "/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("bundled model file missing from the classpath: " + file);
                    }
                    byte[] bytes = in.readAllBytes();
                    Path target = dir.resolve(file);
                    if (!Files.exists(target) || Files.size(target) != bytes.length
                            || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
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
