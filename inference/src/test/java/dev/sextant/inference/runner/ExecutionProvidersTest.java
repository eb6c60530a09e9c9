package dev.sextant.inference.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Device selection and its CPU fallback, exercised here where no GPU exists. */
class ExecutionProvidersTest {

    static final EnumSet<OrtProvider> CPU_ONLY = EnumSet.of(OrtProvider.CPU);
    static final EnumSet<OrtProvider> WITH_CUDA = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA);

    @Test
    void onThisMachineAutoAndCudaFallBackToTheCpuWithTheReason() throws Exception {
        // CPU build: no CUDA provider at all. GPU build (-Pgpu): the provider exists but cannot start without the
        // CUDA libraries and a GPU. Either way the session must land on the CPU and say why.
        boolean gpuBuild = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        for (String requested : new String[] {"auto", "cuda"}) {
            try (var options = new ai.onnxruntime.OrtSession.SessionOptions()) {
                var choice = ExecutionProviders.choose(requested, 0, OrtEnvironment::getAvailableProviders, () -> {
                    options.addCUDA(0);
                    return null;
                });
                assertThat(choice.device()).isEqualTo("cpu");
                assertThat(choice.reason()).contains(gpuBuild ? "could not start" : "no CUDA execution provider");
            }
        }
        assertThat(ExecutionProviders.choose("cuda", 0, () -> CPU_ONLY, () -> null).device()).isEqualTo("cpu");
    }

    @Test
    void cudaIsUsedWhenTheProviderIsPresentAndStarts() {
        AtomicBoolean attached = new AtomicBoolean();
        var choice = ExecutionProviders.choose("auto", 1, () -> WITH_CUDA, () -> {
            attached.set(true);
            return null;
        });
        assertThat(attached).isTrue();
        assertThat(choice.device()).isEqualTo("cuda:1");
    }

    @Test
    void aCudaProviderThatCannotStartFallsBackWithTheReason() {
        var choice = ExecutionProviders.choose("cuda", 0, () -> WITH_CUDA, () -> {
            throw new OrtException("libcublasLt.so.12: cannot open shared object file");
        });
        assertThat(choice.device()).isEqualTo("cpu");
        assertThat(choice.reason()).contains("libcublasLt.so.12", "CUDA 12");
    }

    @Test
    void cpuRequestedNeverTouchesCudaAndUnknownDevicesAreRefused() {
        assertThat(ExecutionProviders.choose("CPU", 0, () -> WITH_CUDA, () -> {
            throw new AssertionError("must not try CUDA");
        }).device()).isEqualTo("cpu");
        assertThatThrownBy(() -> ExecutionProviders.choose("tpu", 0, () -> CPU_ONLY, () -> null))
                .hasMessageContaining("cpu, cuda or auto");
    }
}
