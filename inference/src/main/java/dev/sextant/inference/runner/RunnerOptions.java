package dev.sextant.inference.runner;

/**
 * @param intraOpThreads ONNX Runtime threads for one call; 0 lets ONNX Runtime choose
 * @param device         {@code cpu}, {@code cuda}, or {@code auto} (CUDA when available, else CPU)
 * @param cudaDeviceId   GPU ordinal for the CUDA execution provider
 */
public record RunnerOptions(int intraOpThreads, String device, int cudaDeviceId) {

    public static RunnerOptions cpu(int intraOpThreads) {
        return new RunnerOptions(intraOpThreads, "cpu", 0);
    }
}
