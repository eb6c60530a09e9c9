package dev.sextant.inference.runner;

import dev.sextant.inference.model.DecoderConfig;
import dev.sextant.inference.model.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a model directory with the runner its layout needs. */
public final class ModelRunners {

    private ModelRunners() {
    }

    /**
     * {@code genai_config.json} (onnxruntime-genai builder, GroupQueryAttention) or {@code config.json} (Hugging Face
     * Optimum export, standard attention).
     */
    public static ModelRunner open(Path modelDir, RunnerOptions options, CacheOptions cache) {
        if (Files.isRegularFile(modelDir.resolve("genai_config.json"))) {
            DecoderConfig config = DecoderConfig.readGenaiConfig(modelDir.resolve("genai_config.json"));
            return new GqaModelRunner(modelDir, config, options, cache);
        }
        if (Files.isRegularFile(modelDir.resolve("config.json"))) {
            DecoderConfig config = DecoderConfig.readHuggingFaceConfig(modelDir.resolve("config.json"));
            return new StandardAttentionRunner(modelDir, config, options, cache);
        }
        throw new ModelLoadException(modelDir + ": not a model directory (no genai_config.json or config.json)");
    }
}
