package dev.sextant.inference.runner;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sextant.inference.model.DecoderConfig;
import dev.sextant.inference.model.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a decoder's ONNX Runtime session with the project's session settings and device choice. */
final class DecoderSessions {

    record Opened(OrtSession session, String device) {
    }

    private DecoderSessions() {
    }

    static Opened open(Path modelDir, DecoderConfig config, RunnerOptions options) {
        Path modelFile = modelDir.resolve(config.modelFile());
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelLoadException("model file not found: " + modelFile);
        }
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (options.intraOpThreads() > 0) {
                sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
            }
            // Spinning threads burn the cores the HTTP and tokenizer work needs on small machines.
            sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
            String device = ExecutionProviders.configure(sessionOptions, options.device(), options.cudaDeviceId());
            return new Opened(OrtEnvironment.getEnvironment().createSession(modelFile.toString(), sessionOptions),
                    device);
        } catch (OrtException e) {
            throw new ModelLoadException(modelFile + ": ONNX Runtime cannot load it (" + e.getMessage() + ")", e);
        }
    }
}
