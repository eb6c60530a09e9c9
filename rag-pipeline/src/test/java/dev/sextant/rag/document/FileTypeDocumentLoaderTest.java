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
