package dev.sextant.rag.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTypeDocumentLoaderTest {

    @TempDir
    Path dir;

    final FileTypeDocumentLoader loader = new FileTypeDocumentLoader(1_000_000);

    @Test
    void htmlKeepsHeadingsAndDropsNavigationScriptsAndFooters() throws Exception {
        Path file = dir.resolve("page.html");
        Files.writeString(file, """
                <html><head><title>heapq - Heap queue</title><script>var tracking = 1;</script></head>
                <body><nav>Home | Index | Modules</nav><header>Python docs</header>
                <h1>heapq</h1><p>This module provides an implementation of the heap queue algorithm.</p>
                <h2>Basic examples</h2><p>A heapsort can be implemented by pushing all values.</p>
                <ul><li><p>heappush keeps the invariant</p></li></ul>
                <pre>heappush(h, 5)</pre>
                <footer>Copyright 2026</footer></body></html>
                """);
        Document doc = loader.load(new LoadRequest(file, "library/page.html"));
        assertThat(doc.title()).isEqualTo("heapq - Heap queue");
        assertThat(doc.source()).isEqualTo("library/page.html");
        assertThat(doc.sections()).extracting(Document.Section::headingPath)
                .containsExactly(List.of("heapq"), List.of("heapq", "Basic examples"));
        String all = String.join(" ", doc.sections().stream().map(Document.Section::text).toList());
        assertThat(all).contains("heap queue algorithm", "heappush(h, 5)", "heappush keeps the invariant")
                .doesNotContain("tracking", "Home | Index", "Copyright", "Python docs");
        assertThat(all.indexOf("heappush keeps")).isEqualTo(all.lastIndexOf("heappush keeps"));
    }

    @Test
    void siblingHeadingsReplaceEachOtherWhenAPageSkipsLevels() throws Exception {
        // As the PostgreSQL manual: the page starts at h2, its sections are h3 siblings, with h5 under an h4.
        Path file = dir.resolve("collation.html");
        Files.writeString(file, """
                <html><head><title>24.2. Collation Support</title></head><body>
                <h2>24.2. Collation Support</h2><p>Intro.</p>
                <h3>24.2.1. Concepts</h3><p>Concepts text.</p>
                <h3>24.2.2. Managing Collations</h3><p>Managing text.</p>
                <h4>24.2.2.2. Predefined Collations</h4><p>Predefined text.</p>
                <h5>24.2.2.2.1. libc Collations</h5><p>libc text.</p>
                <h5>24.2.2.2.2. ICU Collations</h5><p>ICU text.</p>
                <h3>24.2.3. More</h3><p>More text.</p>
                </body></html>
                """);
        assertThat(loader.load(new LoadRequest(file, "collation.html")).sections())
                .extracting(Document.Section::headingPath).containsExactly(
                        List.of("24.2. Collation Support"),
                        List.of("24.2. Collation Support", "24.2.1. Concepts"),
                        List.of("24.2. Collation Support", "24.2.2. Managing Collations"),
                        List.of("24.2. Collation Support", "24.2.2. Managing Collations",
                                "24.2.2.2. Predefined Collations"),
                        List.of("24.2. Collation Support", "24.2.2. Managing Collations",
                                "24.2.2.2. Predefined Collations", "24.2.2.2.1. libc Collations"),
                        List.of("24.2. Collation Support", "24.2.2. Managing Collations",
                                "24.2.2.2. Predefined Collations", "24.2.2.2.2. ICU Collations"),
                        List.of("24.2. Collation Support", "24.2.3. More"));

        Path md = dir.resolve("skips.md");
        Files.writeString(md, "## A\na\n#### A.1\nx\n#### A.2\ny\n## B\nb\n");
        assertThat(loader.load(new LoadRequest(md, "skips.md")).sections())
                .extracting(Document.Section::headingPath).containsExactly(
                        List.of("A"), List.of("A", "A.1"), List.of("A", "A.2"), List.of("B"));
    }

    @Test
    void markdownSplitsAtHeadingsButNotInsideCodeFences() throws Exception {
        Path file = dir.resolve("guide.md");
        Files.writeString(file, "# Guide\nIntro text.\n## Install\nRun it.\n```\n# not a heading\n```\n### Deep\nx\n");
        Document doc = loader.load(new LoadRequest(file, "guide.md"));
        assertThat(doc.title()).isEqualTo("Guide");
        assertThat(doc.sections()).extracting(Document.Section::headingPath).containsExactly(
                List.of("Guide"), List.of("Guide", "Install"), List.of("Guide", "Install", "Deep"));
        assertThat(doc.sections().get(1).text()).contains("# not a heading");
    }

    @Test
    void restructuredTextSplitsAtUnderlinedAndOverlinedTitlesByStyleOrder() throws Exception {
        Path file = dir.resolve("wal.rst");
        Files.writeString(file, """
                .. comment before the title

                ===========
                 WAL notes
                ===========

                Intro paragraph.

                Enabling
                ========

                Run a pragma::

                   PRAGMA journal_mode=WAL;
                ----------------------------

                Details
                -------
                Sub text, with a line of dashes that is a transition:

                ----------

                Limits
                ~~~
                Too short an underline: plain text.

                Checkpoints
                ===========

                Last words.\r
                """);
        Document doc = loader.load(new LoadRequest(file, "db/wal.rst"));
        assertThat(doc.title()).isEqualTo("WAL notes");
        assertThat(doc.sections()).extracting(Document.Section::headingPath).containsExactly(
                List.of(), List.of("WAL notes"), List.of("WAL notes", "Enabling"),
                List.of("WAL notes", "Enabling", "Details"), List.of("WAL notes", "Checkpoints"));
        assertThat(doc.sections().get(0).text()).isEqualTo(".. comment before the title");
        assertThat(doc.sections().get(1).text()).isEqualTo("Intro paragraph.");
        assertThat(doc.sections().get(2).text()).contains("PRAGMA journal_mode=WAL;").doesNotContain("Enabling");
        assertThat(doc.sections().get(3).text()).contains("----------", "Limits\n~~~\nToo short");
        assertThat(doc.sections().get(4).text()).isEqualTo("Last words.");
    }

    @Test
    void invalidUtf8IsAnErrorNamingTheFile() throws Exception {
        Path file = dir.resolve("bad.txt");
        Files.write(file, new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> loader.load(new LoadRequest(file, "bad.txt")))
                .isInstanceOf(DocumentLoadException.class)
                .hasMessageContaining("bad.txt").hasMessageContaining("not valid UTF-8");
    }

    @Test
    void oversizedAndUnsupportedFilesAreErrors() throws Exception {
        Path big = dir.resolve("big.txt");
        Files.writeString(big, "x".repeat(2000));
        assertThatThrownBy(() -> new FileTypeDocumentLoader(1000).load(new LoadRequest(big, "big.txt")))
                .hasMessageContaining("over the limit");
        Path pdf = dir.resolve("a.docx");
        Files.writeString(pdf, "x");
        assertThatThrownBy(() -> loader.load(new LoadRequest(pdf, "a.docx")))
                .hasMessageContaining("unsupported file type");
    }

    @Test
    void contentHashChangesWithTheText() {
        var a = new Document("s", "t", List.of(new Document.Section(List.of("h"), "one")));
        var b = new Document("s", "t", List.of(new Document.Section(List.of("h"), "two")));
        assertThat(a.contentHash()).isNotEqualTo(b.contentHash())
                .isEqualTo(new Document("s", "t", List.of(new Document.Section(List.of("h"), "one"))).contentHash());
    }
}
