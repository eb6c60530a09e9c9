package dev.sextant.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchInvariantQuantizationTest {

    @Test
    void rewritesEveryActivationQuantizerOfTheShippedModels() {
        var miniLm = BatchInvariantQuantization.rewrite(EncoderSpec.allMiniLmL6V2Quantized().modelBytes());
        assertThat(miniLm.applied()).isTrue();
        assertThat(miniLm.rewrittenQuantizers()).isEqualTo(24);
        assertThat(OnnxModelProto.parse(miniLm.model()).nodes())
                .noneMatch(n -> n.opType().equals("DynamicQuantizeLinear"));

        var bge = BatchInvariantQuantization.rewrite(EncoderSpec.bgeSmallEnV15Quantized().modelBytes());
        assertThat(bge.applied()).isTrue();
        assertThat(bge.rewrittenQuantizers()).isEqualTo(48);
    }

    @Test
    void aGraphWithoutQuantizersIsLeftAsItIs() {
        byte[] model = BatchInvariantQuantization.rewrite(EncoderSpec.allMiniLmL6V2Quantized().modelBytes()).model();
        var again = BatchInvariantQuantization.rewrite(model);
        assertThat(again.applied()).isFalse();
        assertThat(again.notApplied()).contains("no DynamicQuantizeLinear");
        assertThat(again.model()).isSameAs(model);
    }

    @Test
    void notAModelIsRefused() {
        assertThatThrownBy(() -> BatchInvariantQuantization.rewrite(new byte[] {1, 2, 3, 4}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an ONNX model");
    }
}
