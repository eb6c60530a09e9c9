package dev.sextant.rag.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkingPolicyTest {

    @Test
    void theDefaultsSizeChunksFromTheModelLimit() {
        assertThat(ChunkingPolicy.DEFAULTS).isEqualTo(new ChunkingPolicy(0, 16, HeadingPrefix.NEAREST));
        // MiniLM reads 128 tokens, bge-small 512: 32 are left for the heading line and [CLS]/[SEP].
        assertThat(ChunkingPolicy.DEFAULTS.limits(128)).isEqualTo(new ChunkLimits(96, 16, 128, HeadingPrefix.NEAREST));
        assertThat(ChunkingPolicy.DEFAULTS.limits(512).maxTokens()).isEqualTo(480);
        // A tiny model still gets chunks of 16 tokens (and then no room for the default overlap).
        assertThat(ChunkingPolicy.DEFAULTS.withMaxTokens(0).chunkTokens(40)).isEqualTo(16);
        assertThat(new ChunkingPolicy(0, 4, HeadingPrefix.NONE).limits(40))
                .isEqualTo(new ChunkLimits(16, 4, 40, HeadingPrefix.NONE));
    }

    @Test
    void anExplicitSizeIsTakenAsSetWithTheModelWindowKept() {
        ChunkLimits limits = ChunkingPolicy.of(200, 24, "path").limits(512);
        assertThat(limits).isEqualTo(new ChunkLimits(200, 24, 512, HeadingPrefix.PATH));
        assertThat(ChunkingPolicy.DEFAULTS.withMaxTokens(64).withHeadingPrefix(HeadingPrefix.NONE).limits(128))
                .isEqualTo(new ChunkLimits(64, 16, 128, HeadingPrefix.NONE));
    }

    @Test
    void anOverlapNotSmallerThanTheChunkIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new ChunkingPolicy(16, 16, HeadingPrefix.NEAREST).limits(128))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sextant.chunking.overlap-tokens (16) must be smaller than the chunk size (16 tokens)");
        // Auto: the size the overlap is compared with is the model's limit - 32.
        assertThatThrownBy(() -> new ChunkingPolicy(0, 100, HeadingPrefix.NEAREST).limits(128))
                .hasMessage("sextant.chunking.overlap-tokens (100) must be smaller than the chunk size (96 tokens)");
    }

    @Test
    void anOverlapThatLeavesNoTextNextToTheHeadingLineIsRejectedNamingTheSetting() {
        // 128 - 2 special tokens - 42 for the longest heading line leaves 84 tokens of text: 90 cannot overlap.
        assertThatThrownBy(() -> new ChunkingPolicy(0, 90, HeadingPrefix.NEAREST).limits(128))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sextant.chunking.overlap-tokens (90) does not fit a 128-token model input")
                .hasMessageContaining("84 tokens of text");
        // Without a heading line the same overlap fits.
        assertThat(new ChunkingPolicy(0, 90, HeadingPrefix.NONE).limits(128).overlapTokens()).isEqualTo(90);
    }

    @Test
    void badSettingsAreRejectedByName() {
        assertThatThrownBy(() -> new ChunkingPolicy(-1, 16, HeadingPrefix.NEAREST))
                .hasMessage("sextant.chunking.max-tokens must be 0 (auto) or positive, got -1");
        assertThatThrownBy(() -> new ChunkingPolicy(0, -1, HeadingPrefix.NEAREST))
                .hasMessage("sextant.chunking.overlap-tokens must not be negative, got -1");
        assertThatThrownBy(() -> ChunkingPolicy.of(0, 16, "outline"))
                .hasMessage("sextant.chunking.heading-prefix must be path, nearest or none, got 'outline'");
    }

    @Test
    void theSplitterCutsInTheGivenCounter() {
        RecursiveSplitter splitter = new ChunkingPolicy(20, 0, HeadingPrefix.NONE)
                .splitter(128, RecursiveSplitterTest.WORDS);
        assertThat(splitter.limits()).isEqualTo(new ChunkLimits(20, 0, 128, HeadingPrefix.NONE));
        List<Chunk> chunks = RecursiveSplitterTest.split(splitter, RecursiveSplitterTest.doc(
                RecursiveSplitterTest.prose(2, 3)));
        // Six sentences of 7 words in two paragraphs: two sentences to a chunk, counted in words.
        assertThat(chunks).allSatisfy(c -> assertThat(RecursiveSplitterTest.WORDS.count(c.text())).isLessThanOrEqualTo(20));
        assertThat(chunks).hasSize(3);
    }
}
