package dev.sextant.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class VectorsTest {

    // Moved from the eval module's answer-metric tests when their own cosine was folded into this one.
    @Test
    void cosineOfHandPickedVectors() {
        assertThat(Vectors.cosine(new float[] {1, 0}, new float[] {0, 1})).isEqualTo(0.0);
        assertThat(Vectors.cosine(new float[] {1, 2}, new float[] {2, 4})).isCloseTo(1.0, offset(1e-12));
        assertThat(Vectors.cosine(new float[] {0, 0}, new float[] {1, 1})).isEqualTo(0.0);
        assertThat(Vectors.cosine(new float[] {3, 4}, new float[] {4, 3})).isCloseTo(24.0 / 25, offset(1e-12));
    }

    @Test
    void cosineRefusesVectorsOfDifferentLengths() {
        assertThatThrownBy(() -> Vectors.cosine(new float[] {1, 0}, new float[] {1, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("vector lengths differ: 2 vs 3");
    }

    @Test
    void normalizingGivesUnitLengthAndLeavesZeroAlone() {
        float[] v = Vectors.normalizeInPlace(new float[] {3, 4});
        assertThat(v[0]).isCloseTo(0.6f, offset(1e-6f));
        assertThat(v[1]).isCloseTo(0.8f, offset(1e-6f));
        assertThat(Vectors.dot(v, v)).isCloseTo(1f, offset(1e-6f));
        assertThat(Vectors.normalizeInPlace(new float[] {0, 0})).containsExactly(0f, 0f);
    }
}
