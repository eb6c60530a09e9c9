package dev.sextant.inference.runner;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;
import java.util.Locale;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Chooses where a session runs and says why in one log line. CUDA needs the {@code onnxruntime_gpu} artifact
 * (Maven profile {@code gpu}) and CUDA 12 + cuDNN 9 libraries on the host; without them {@code auto} and
 * {@code cuda} fall back to the CPU.
 */
public final class ExecutionProviders {

    private static final Logger LOG = Logger.getLogger(ExecutionProviders.class);

    private ExecutionProviders() {
    }

    /** The decision and its reason, for logging and tests. */
    public record Choice(String device, String reason) {
    }

    /** Applies the choice to {@code options} and returns the device name ({@code cpu} or {@code cuda:N}). */
    static String configure(OrtSession.SessionOptions options, String requested, int cudaDeviceId) {
        Choice choice = choose(requested, cudaDeviceId, OrtEnvironment::getAvailableProviders, () -> {
            options.addCUDA(cudaDeviceId);
            return null;
        });
        LOG.infof("inference runs on %s: %s", choice.device(), choice.reason());
        return choice.device();
    }

    @FunctionalInterface
    public interface CudaAttach {
        Void attach() throws OrtException;
    }

    public static Choice choose(String requested, int cudaDeviceId, Supplier<EnumSet<OrtProvider>> available,
                                CudaAttach attachCuda) {
        String mode = requested == null ? "auto" : requested.toLowerCase(Locale.ROOT);
        switch (mode) {
            case "cpu" -> {
                return new Choice("cpu", "the CPU execution provider was requested");
            }
            case "auto", "cuda" -> {
                if (!available.get().contains(OrtProvider.CUDA)) {
                    return new Choice("cpu", mode + " requested, but this ONNX Runtime build has no CUDA execution "
                            + "provider (build with -Pgpu for onnxruntime_gpu); using the CPU");
                }
                try {
                    attachCuda.attach();
                    return new Choice("cuda:" + cudaDeviceId, "CUDA execution provider on device " + cudaDeviceId);
                } catch (OrtException | RuntimeException e) {
                    return new Choice("cpu", "CUDA execution provider could not start (" + e.getMessage()
                            + "; needs CUDA 12 and cuDNN 9 libraries); using the CPU");
                }
            }
            default -> throw new IllegalArgumentException("inference device must be cpu, cuda or auto, got '"
                    + requested + "'");
        }
    }
}
