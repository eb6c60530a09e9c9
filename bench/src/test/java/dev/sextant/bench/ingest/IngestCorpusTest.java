package dev.sextant.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestCorpusTest {

    @TempDir
    Path dir;

    @Test
    void scanFindsHtmlPagesAtAnyDepthSortedBySource() throws IOException {
        write("b.html", "<p>bb</p>");
        write("a/z.html", "<p>z</p>");
        write("a.html", "<p>a</p>");
        write("notes.md", "# not html");
        write("c.htm", "<p>not .html either</p>");
        Files.createDirectories(dir.resolve("empty.html")); // a directory, not a page

        IngestCorpus corpus = IngestCorpus.scan(dir.resolve("a").resolve(".."));

        assertThat(corpus.root()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(corpus.sources()).containsExactly("a.html", "a/z.html", "b.html");
        assertThat(corpus.files()).containsExactly(dir.resolve("a.html"), dir.resolve("a/z.html"),
                dir.resolve("b.html"));
        assertThat(corpus.bytes()).isEqualTo(8 + 8 + 9);
        assertThat(corpus.source(dir.resolve("a/z.html"))).isEqualTo("a/z.html");
        assertThat(corpus.isEmpty()).isFalse();
    }

    @Test
    void aDirectoryWithoutPagesIsAnEmptyCorpus() throws IOException {
        write("notes.md", "# only markdown");
        assertThat(IngestCorpus.scan(dir).isEmpty()).isTrue();
    }

    @Test
    void spreadPicksEvenlyAndAllWhenAskedForMore() {
        List<Path> files = IntStream.range(0, 10).mapToObj(i -> dir.resolve("p" + i + ".html")).toList();
        IngestCorpus corpus = new IngestCorpus(dir, files, files.stream().map(f -> f.getFileName().toString())
                .toList(), 0);

        assertThat(corpus.spread(3)).containsExactly(files.get(0), files.get(3), files.get(6));
        assertThat(corpus.spread(5)).containsExactly(files.get(0), files.get(2), files.get(4), files.get(6),
                files.get(8));
        assertThat(corpus.spread(0)).isEmpty();
        assertThat(corpus.spread(10)).isEqualTo(files);
        assertThat(corpus.spread(25)).isEqualTo(files);
    }

    @Test
    void literalGlobEscapesGlobMetacharacters() {
        assertThat(IngestCorpus.literalGlob("a/plain-page.html")).isEqualTo("a/plain-page.html");
        assertThat(IngestCorpus.literalGlob("sql-[x]{y}*?.html")).isEqualTo("sql-\\[x\\]\\{y\\}\\*\\?.html");
        assertThat(IngestCorpus.literalGlob("back\\slash.html")).isEqualTo("back\\\\slash.html");
    }

    private void write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
