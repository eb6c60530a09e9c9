package dev.sextant.eval.answers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** Hand-computed cases. */
class ReferenceMatchTest {

    @Test
    void normalizationFollowsSquad() {
        assertThat(ReferenceMatch.normalize("The  Quick, brown fox's \"tail\"!")).isEqualTo("quick brown foxs tail");
        assertThat(ReferenceMatch.normalize("  An\tapple a day\n")).isEqualTo("apple day");
        assertThat(ReferenceMatch.normalize("Theory of \u2018A\u2019 \u2014 atheists")).isEqualTo("theory of atheists");
        assertThat(ReferenceMatch.normalize("$5.00 (USD)")).isEqualTo("500 usd");
        assertThat(ReferenceMatch.normalize("The.")).isEmpty();
    }

    @Test
    void exactMatchComparesNormalisedTexts() {
        assertThat(ReferenceMatch.exactMatch("The Eiffel Tower.", "eiffel tower")).isTrue();
        assertThat(ReferenceMatch.exactMatch("Eiffel Tower in Paris", "Eiffel Tower")).isFalse();
    }

    @Test
    void tokenF1IsTheHarmonicMeanOverTokenBags() {
        // "cat sat on mat" vs "cat sat on hat": 3 common of 4 and 4 -> P = R = 0.75
        assertThat(ReferenceMatch.tokenF1("the cat sat on the mat", "a cat sat on a hat")).isEqualTo(0.75);
        // bags {x:2, y:1} vs {x, y, z, w}: common = min(2,1) + 1 = 2 -> P = 2/3, R = 1/2, F1 = 4/7
        assertThat(ReferenceMatch.tokenF1("x x y", "x y z w")).isCloseTo(4.0 / 7, offset(1e-12));
        assertThat(ReferenceMatch.tokenF1("foo", "bar")).isEqualTo(0.0);
        assertThat(ReferenceMatch.tokenF1("Port 5432.", "port 5432")).isEqualTo(1.0);
    }

    @Test
    void tokenF1OfEmptyTextsIsOneOnlyWhenBothAreEmpty() {
        assertThat(ReferenceMatch.tokenF1("", "the")).isEqualTo(1.0); // both normalise to nothing
        assertThat(ReferenceMatch.tokenF1("The", "x")).isEqualTo(0.0);
        assertThat(ReferenceMatch.tokenF1("x", "")).isEqualTo(0.0);
    }
}
