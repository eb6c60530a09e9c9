package dev.sextant.bench.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusParagraphsTest {

    @TempDir
    Path dir;

    static final String LONG_ENOUGH = "This paragraph is long enough to be embedded by the benchmark.";

    @Test
    void paragraphsComeInPathOrderCollapsedAndCut() throws IOException {
        Files.writeString(dir.resolve("b.md"), "# B\n\n" + LONG_ENOUGH + " From b.\n");
        Files.writeString(dir.resolve("a.md"), "# A\n\nShort one.\n\n" + LONG_ENOUGH + "\nSame   paragraph,\tnew"
                + " line.\n\n" + "word ".repeat(200) + "\n");
        Files.writeString(dir.resolve("skipped.bin"), "not a supported type");

        List<String> texts = CorpusParagraphs.read(dir, 100);

        assertThat(texts).hasSize(3);
        assertThat(texts.get(0)).isEqualTo(LONG_ENOUGH + " Same paragraph, new line.");
        // 200 words of 5 characters: cut at the last space before 600, so whole words remain.
        assertThat(texts.get(1)).hasSizeLessThanOrEqualTo(600).hasSizeGreaterThan(590).endsWith("word");
        assertThat(texts.get(2)).isEqualTo(LONG_ENOUGH + " From b.");
    }

    @Test
    void stopsAtTheLimit() throws IOException {
        Files.writeString(dir.resolve("a.md"), (LONG_ENOUGH + "\n\n").repeat(5));
        assertThat(CorpusParagraphs.read(dir, 2)).hasSize(2);
    }

    @Test
    void filesTheLoaderRefusesAreSkipped() throws IOException {
        Files.write(dir.resolve("bad.md"), new byte[] {(byte) 0xC3, (byte) 0x28, 'x'}); // invalid UTF-8
        Files.writeString(dir.resolve("good.md"), LONG_ENOUGH + "\n");
        assertThat(CorpusParagraphs.read(dir, 10)).containsExactly(LONG_ENOUGH);
    }
}
