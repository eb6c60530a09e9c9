package dev.sextant.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.rag.chunk.TokenCounter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkStatsTest {

    static final TokenCounter WORDS = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;

    @Test
    void meansAreOverChunksAndTheEncoderReadsAtMostItsLimit() {
        // Texts of 2 and 6 words; embedded after a 3-word heading line: 5 + 2 and 9 + 2 special tokens.
        List<String> texts = List.of("one two", "a b c d e f");
        List<String> embedded = List.of("Title > H\none two", "Title > H\na b c d e f");

        ChunkStats stats = ChunkStats.of(texts, embedded, WORDS, 8);

        assertThat(stats.meanChars()).isEqualTo((7 + 11) / 2.0);
        assertThat(stats.meanTokens()).isEqualTo(4.0);
        // The second input (11 tokens) is cut at 8: (7 + 8) / 2.
        assertThat(stats.meanEmbeddedTokens()).isEqualTo(7.5);
        assertThat(stats.truncated()).isEqualTo(1);
    }

    @Test
    void noChunksGiveNone() {
        assertThat(ChunkStats.of(List.of(), List.of(), WORDS, 128)).isEqualTo(ChunkStats.NONE);
    }

    @Test
    void textsAndEmbeddedInputsMustPair() {
        assertThatThrownBy(() -> ChunkStats.of(List.of("a"), List.of(), WORDS, 128))
                .hasMessage("1 chunk texts but 0 embedded");
    }
}
