package dev.sextant.eval.answers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-computed cases. */
class WordsTest {

    @Test
    void wordsAreLowerCasedWithApostrophesRemovedAndSplitAtAnythingElse() {
        assertThat(Words.words("Don't STOP, re-index 3.5!")).containsExactlyInAnyOrder("dont", "stop", "re", "index",
                "3", "5");
        assertThat(Words.words("don\u2019t Don't")).containsExactly("dont");
        assertThat(Words.words(" -- ")).isEmpty();
    }

    @Test
    void everyStopwordIsInTheFormWordsProduces() {
        // a stopword words() can never produce (an apostrophe, a capital) would never be removed
        for (String w : Words.STOPWORDS) {
            assertThat(Words.words(w)).as(w).containsExactly(w);
        }
    }

    @Test
    void contentWordsLeaveOutStopwordsIncludingContractions() {
        assertThat(Words.contentWords("The quick brown fox doesn't jump")).containsExactlyInAnyOrder("quick", "brown",
                "fox", "jump");
        assertThat(Words.contentWords("It is what it is")).isEmpty();
    }

    @Test
    void wordCountCountsAContractionAsOneWord() {
        assertThat(Words.wordCount("I don't know [1].")).isEqualTo(4); // I, don't, know, 1
        assertThat(Words.wordCount("I don\u2019t know")).isEqualTo(3);
        assertThat(Words.wordCount(" ... ")).isZero();
    }

    @Test
    void collapseWhitespaceKeepsTheEnds() {
        assertThat(Words.collapseWhitespace(" a \t b\n\nc ")).isEqualTo(" a b c ");
    }
}
