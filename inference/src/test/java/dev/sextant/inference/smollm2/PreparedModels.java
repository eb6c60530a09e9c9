package dev.sextant.inference.smollm2;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The real default model as {@code ./sextant model prepare} leaves it in the data dir. */
public final class PreparedModels {

    private PreparedModels() {
    }

    public static Path dataDir() {
        String env = System.getenv("SEXTANT_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".sextant");
    }

    /** The model directory of a precision; skips the test (fails it in CI) when it has not been prepared. */
    public static Path require(String precision) {
        Path dir = dataDir().resolve("models").resolve("smollm2-135m-instruct-" + precision);
        if (!Files.isRegularFile(dir.resolve("reference.json"))) {
            String message = "SmolLM2 " + precision + " is not prepared in " + dir + " (run ./sextant model prepare)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return dir;
    }
}
