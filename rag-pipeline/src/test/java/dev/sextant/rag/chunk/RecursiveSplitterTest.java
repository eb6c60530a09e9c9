package dev.sextant.rag.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.rag.document.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecursiveSplitterTest {

    static Document doc(String... sectionTexts) {
        return new Document("a/b.md", "Title", java.util.Arrays.stream(sectionTexts)
                .map(t -> new Document.Section(List.of("Title", "H"), t)).toList());
    }

    @Test
    void shortSectionIsOneChunkWithItsHeadingPath() {
        List<Chunk> chunks = new RecursiveSplitter(200, 20).split(new DocumentSplitter.SplitRequest(
                doc("Short text."), "t1"));
        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(c.text()).isEqualTo("Short text.");
            assertThat(c.tenant()).isEqualTo("t1");
            assertThat(c.headingPath()).containsExactly("Title", "H");
            assertThat(c.embeddingText()).startsWith("Title > H\n");
        });
    }

    @Test
    void longTextIsCutUnderTheLimitAtParagraphsThenSentencesWithOverlap() {
        String para = "Sentence number one is here. Sentence number two is here. Sentence number three is here.";
        String text = String.join("\n\n", para, para, para, para, para);
        List<Chunk> chunks = new RecursiveSplitter(200, 40).split(new DocumentSplitter.SplitRequest(doc(text), "t"));
        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(200));
        for (int i = 1; i < chunks.size(); i++) {
            String prev = chunks.get(i - 1).text();
            String tailWord = prev.substring(prev.lastIndexOf(' ') + 1);
            assertThat(chunks.get(i).text()).as("overlap").contains(tailWord);
        }
        String joined = String.join(" ", chunks.stream().map(Chunk::text).toList());
        assertThat(joined).contains("Sentence number three is here.");
    }

    @Test
    void wordsLongerThanTheLimitAreHardCut() {
        String text = "x".repeat(450);
        List<Chunk> chunks = new RecursiveSplitter(200, 0).split(new DocumentSplitter.SplitRequest(doc(text), "t"));
        assertThat(chunks).extracting(c -> c.text().length()).containsExactly(200, 200, 50);
    }

    @Test
    void idsAreStableAndDifferByTenantAndPosition() {
        var splitter = new RecursiveSplitter(200, 0);
        var a = splitter.split(new DocumentSplitter.SplitRequest(doc("same", "same"), "t"));
        var again = splitter.split(new DocumentSplitter.SplitRequest(doc("same", "same"), "t"));
        var other = splitter.split(new DocumentSplitter.SplitRequest(doc("same", "same"), "u"));
        assertThat(a).extracting(Chunk::id).isEqualTo(again.stream().map(Chunk::id).toList());
        assertThat(a.get(0).id()).isNotEqualTo(a.get(1).id()).isNotEqualTo(other.get(0).id());
        assertThat(a).extracting(Chunk::ordinal).containsExactly(0, 1);
    }
}
