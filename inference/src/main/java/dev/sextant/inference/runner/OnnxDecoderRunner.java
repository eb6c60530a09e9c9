package dev.sextant.inference.runner;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sextant.inference.model.DecoderConfig;
import dev.sextant.inference.model.ModelLoadException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs one forward step of an ONNX decoder (onnxruntime-genai builder layout): new tokens plus the sequence's past
 * keys/values in, logits and the grown keys/values out. One ONNX Runtime call per step.
 */
public final class OnnxDecoderRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OnnxDecoderRunner.class);

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final DecoderConfig config;

    public OnnxDecoderRunner(Path modelDir, DecoderConfig config, int intraOpThreads) {
        this.config = config;
        Path modelFile = modelDir.resolve(config.modelFile());
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelLoadException("model file not found: " + modelFile);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            // Spinning threads burn the cores other requests' work needs on small machines.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = env.createSession(modelFile.toString(), options);
        } catch (OrtException e) {
            throw new ModelLoadException(modelFile + ": ONNX Runtime cannot load it (" + e.getMessage() + ")", e);
        }
        LOG.infof("decoder %s loaded on the CPU execution provider (%d layers, %d KV heads, head size %d)",
                modelFile, config.numLayers(), config.numKvHeads(), config.headSize());
    }

    public DecoderConfig config() {
        return config;
    }

    /** The keys/values one sequence has accumulated; close it to free the memory. */
    public final class Sequence implements AutoCloseable {
        private final OnnxTensor[] pastKeys = new OnnxTensor[config.numLayers()];
        private final OnnxTensor[] pastValues = new OnnxTensor[config.numLayers()];
        private OrtSession.Result owner;
        private int length;

        private Sequence() throws OrtException {
            long[] emptyShape = {1, config.numKvHeads(), 0, config.headSize()};
            for (int layer = 0; layer < config.numLayers(); layer++) {
                pastKeys[layer] = OnnxTensor.createTensor(env, FloatBuffer.allocate(0), emptyShape);
                pastValues[layer] = OnnxTensor.createTensor(env, FloatBuffer.allocate(0), emptyShape);
            }
        }

        /** Tokens already in the cache. */
        public int length() {
            return length;
        }

        /**
         * Feeds {@code tokens} after what the sequence holds and returns the logits at the last new position.
         */
        public float[] step(long[] tokens) {
            if (tokens.length == 0) {
                throw new IllegalArgumentException("no tokens to feed");
            }
            int total = length + tokens.length;
            if (total > config.contextLength()) {
                throw new IllegalArgumentException("sequence of " + total + " tokens exceeds the context length "
                        + config.contextLength());
            }
            Map<String, OnnxTensor> inputs = new HashMap<>();
            OnnxTensor ids = null;
            OnnxTensor mask = null;
            try {
                ids = OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), new long[] {1, tokens.length});
                long[] ones = new long[total];
                Arrays.fill(ones, 1L);
                mask = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), new long[] {1, total});
                inputs.put(config.inputIdsName(), ids);
                inputs.put(config.attentionMaskName(), mask);
                for (int layer = 0; layer < config.numLayers(); layer++) {
                    inputs.put(config.pastKey(layer), pastKeys[layer]);
                    inputs.put(config.pastValue(layer), pastValues[layer]);
                }
                OrtSession.Result result = session.run(inputs);
                float[] logits = lastLogits(result, tokens.length);
                adopt(result);
                length = total;
                return logits;
            } catch (OrtException e) {
                throw new IllegalStateException("decoder step failed: " + e.getMessage(), e);
            } finally {
                if (ids != null) {
                    ids.close();
                }
                if (mask != null) {
                    mask.close();
                }
            }
        }

        private float[] lastLogits(OrtSession.Result result, int newTokens) {
            OnnxTensor logits = (OnnxTensor) result.get(config.logitsName())
                    .orElseThrow(() -> new IllegalStateException("model has no output " + config.logitsName()));
            FloatBuffer all = logits.getFloatBuffer();
            int vocab = config.vocabSize();
            float[] last = new float[vocab];
            all.position((newTokens - 1) * vocab);
            all.get(last);
            return last;
        }

        /** The step's present tensors become the next step's past; the previous step's result is freed. */
        private void adopt(OrtSession.Result result) {
            for (int layer = 0; layer < config.numLayers(); layer++) {
                OnnxValue key = result.get(config.presentKey(layer)).orElseThrow();
                OnnxValue value = result.get(config.presentValue(layer)).orElseThrow();
                if (owner == null) {
                    pastKeys[layer].close();
                    pastValues[layer].close();
                }
                pastKeys[layer] = (OnnxTensor) key;
                pastValues[layer] = (OnnxTensor) value;
            }
            if (owner != null) {
                owner.close();
            }
            owner = result;
        }

        @Override
        public void close() {
            if (owner != null) {
                owner.close();
                owner = null;
            } else {
                for (int layer = 0; layer < config.numLayers(); layer++) {
                    pastKeys[layer].close();
                    pastValues[layer].close();
                }
            }
        }
    }

    public Sequence newSequence() {
        try {
            return new Sequence();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot allocate an empty KV cache: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
