package dev.sextant.rag.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.rag.document.Document;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RecursiveSplitterTest {

    /** Whitespace-separated words: a real (if coarse) tokenizer, additive, so the expected sizes are exact. */
    static final TokenCounter WORDS = text -> {
        String s = text.strip();
        return s.isEmpty() ? 0 : s.split("\\s+").length;
    };

    /** Words, plus 3 per paragraph break inside the text: joining pieces costs more than their sum. */
    static final TokenCounter WORDS_AND_BREAKS = text -> {
        String s = text.strip();
        int breaks = 0;
        for (Matcher m = Pattern.compile("\n\n").matcher(s); m.find(); ) {
            breaks++;
        }
        return WORDS.count(s) + 3 * breaks;
    };

    static Document doc(String... sectionTexts) {
        return new Document("a/b.md", "Title", java.util.Arrays.stream(sectionTexts)
                .map(t -> new Document.Section(List.of("Title", "H"), t)).toList());
    }

    static List<Chunk> split(RecursiveSplitter splitter, Document doc) {
        return splitter.split(new DocumentSplitter.SplitRequest(doc, "t"));
    }

    /** Paragraphs of sentences of 7 distinct words each: w0 w1 ... */
    static String prose(int paragraphs, int sentencesPerParagraph) {
        List<String> paras = new ArrayList<>();
        int word = 0;
        for (int p = 0; p < paragraphs; p++) {
            List<String> sentences = new ArrayList<>();
            for (int s = 0; s < sentencesPerParagraph; s++) {
                StringBuilder sb = new StringBuilder();
                for (int w = 0; w < 7; w++) {
                    sb.append(w == 0 ? "" : " ").append("w").append(word++);
                }
                sentences.add(sb.append('.').toString());
            }
            paras.add(String.join(" ", sentences));
        }
        return String.join("\n\n", paras);
    }

    /** Offsets, limits and overlaps every splitter output must satisfy. */
    static void assertWellFormed(Document doc, List<Chunk> chunks, TokenCounter counter, ChunkLimits limits) {
        String text = doc.text();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertThat(c.ordinal()).isEqualTo(i);
            assertThat(c.hasOffsets()).isTrue();
            assertThat(text.substring(c.start(), c.end())).as("offsets of chunk %d", i).isEqualTo(c.text());
            assertThat(c.text()).isNotBlank().isEqualTo(c.text().strip());
            assertThat(counter.count(c.text())).as("tokens of chunk %d", i).isLessThanOrEqualTo(limits.maxTokens());
            if (i > 0 && c.headingPath().equals(chunks.get(i - 1).headingPath())
                    && c.start() < chunks.get(i - 1).end()) {
                Chunk prev = chunks.get(i - 1);
                assertThat(c.start()).as("overlap is a proper suffix").isGreaterThan(prev.start());
                assertThat(Character.isWhitespace(text.charAt(c.start() - 1))).as("word-aligned").isTrue();
                String overlap = text.substring(c.start(), prev.end());
                assertThat(counter.count(overlap)).as("overlap of chunk %d", i)
                        .isLessThanOrEqualTo(limits.overlapTokens());
            }
        }
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
            assertThat(c.start()).isZero();
            assertThat(c.end()).isEqualTo(11);
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
        assertWellFormed(doc(text), chunks, TokenCounter.characters(), new ChunkLimits(200, 40));
    }

    @Test
    void chunksAreSizedInTokensWithAWordAlignedOverlapWithinBudget() {
        var limits = new ChunkLimits(50, 10);
        Document doc = doc(prose(6, 12));
        List<Chunk> chunks = split(new RecursiveSplitter(limits, WORDS), doc);

        assertWellFormed(doc, chunks, WORDS, limits);
        assertThat(chunks).hasSizeGreaterThan(10);
        // Sentences of 7 words: a chunk holds as many whole sentences as fit after its overlap.
        assertThat(chunks).allSatisfy(c -> assertThat(WORDS.count(c.text())).isGreaterThan(35));
        for (int i = 1; i < chunks.size(); i++) {
            Chunk prev = chunks.get(i - 1);
            Chunk c = chunks.get(i);
            assertThat(c.start()).as("chunk %d overlaps the previous one", i).isLessThan(prev.end());
            assertThat(WORDS.count(doc.text().substring(c.start(), prev.end()))).isEqualTo(10);
        }
        // Nothing is lost: every word of the document is in some chunk.
        String all = String.join(" ", chunks.stream().map(Chunk::text).toList());
        for (int w = 0; w < 6 * 12 * 7; w++) {
            assertThat(all).contains("w" + w + (w % 7 == 6 ? "." : " "));
        }
    }

    @Test
    void sizesAreRecheckedWhenJoiningPiecesCostsMoreThanTheirSum() {
        var limits = new ChunkLimits(20, 8);
        String text = String.join("\n\n", java.util.stream.IntStream.range(0, 12)
                .mapToObj(p -> "a" + p + " b" + p + " c" + p + " d" + p + " e" + p).toList());
        Document doc = doc(text);
        List<Chunk> chunks = split(new RecursiveSplitter(limits, WORDS_AND_BREAKS), doc);
        assertWellFormed(doc, chunks, WORDS_AND_BREAKS, limits);
        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(String.join(" ", chunks.stream().map(Chunk::text).toList())).contains("e11");
    }

    @Test
    void headingsAreNeverCrossed() {
        Document doc = new Document("d.md", "Doc", List.of(
                new Document.Section(List.of("Doc", "One"), "alpha beta gamma"),
                new Document.Section(List.of("Doc", "Two"), "delta epsilon"),
                new Document.Section(List.of("Doc", "Two", "Deep"), prose(2, 3))));
        var limits = new ChunkLimits(30, 5);
        List<Chunk> chunks = split(new RecursiveSplitter(limits, WORDS), doc);
        assertWellFormed(doc, chunks, WORDS, limits);
        assertThat(chunks.get(0).text()).isEqualTo("alpha beta gamma");
        assertThat(chunks.get(0).headingPath()).containsExactly("Doc", "One");
        assertThat(chunks.get(1).text()).isEqualTo("delta epsilon");
        assertThat(chunks.get(1).headingPath()).containsExactly("Doc", "Two");
        assertThat(chunks.subList(2, chunks.size())).hasSizeGreaterThan(1).allSatisfy(c -> {
            assertThat(c.headingPath()).containsExactly("Doc", "Two", "Deep");
            assertThat(c.text()).doesNotContain("delta", "epsilon");
        });
        // The first chunk of a section never carries an overlap from the section before.
        assertThat(chunks.get(2).start()).isEqualTo(doc.text().indexOf("w0"));
    }

    @Test
    void offsetsPointIntoTheDocumentTextEvenWithUntrimmedSections() {
        Document doc = new Document("n.txt", "n.txt", List.of(
                new Document.Section(List.of(), "\n\n  First line\n\n\n\nsecond   paragraph here  \n"),
                new Document.Section(List.of("B"), "   "),
                new Document.Section(List.of("C"), "\tlast words\n")));
        var limits = new ChunkLimits(4, 1);
        List<Chunk> chunks = split(new RecursiveSplitter(limits, WORDS), doc);
        assertWellFormed(doc, chunks, WORDS, limits);
        assertThat(chunks).extracting(Chunk::text)
                .containsExactly("First line", "line\n\n\n\nsecond   paragraph here", "last words");
        assertThat(chunks).extracting(Chunk::headingPath).containsExactly(List.of(), List.of(), List.of("C"));
        assertThat(chunks.get(2).start()).isEqualTo(doc.text().indexOf("last words"));
    }

    @Test
    void emptyAndWhitespaceDocumentsGiveNoChunks() {
        var splitter = new RecursiveSplitter(new ChunkLimits(10, 2), WORDS);
        assertThat(split(splitter, new Document("e", "e", List.of()))).isEmpty();
        assertThat(split(splitter, doc("", "   ", "\n\n\t \n"))).isEmpty();
        assertThat(split(new RecursiveSplitter(200, 20), doc(" \n "))).isEmpty();
    }

    @Test
    void wordsLongerThanTheLimitAreHardCut() {
        String text = "x".repeat(450);
        List<Chunk> chunks = new RecursiveSplitter(200, 0).split(new DocumentSplitter.SplitRequest(doc(text), "t"));
        assertThat(chunks).extracting(c -> c.text().length()).containsExactly(200, 200, 50);
    }

    @Test
    void aLongWordIsHardCutInTokensBetweenShortWords() {
        var limits = new ChunkLimits(10, 3);
        Document doc = doc("tiny words then " + "y".repeat(25) + " and the end");
        List<Chunk> chunks = split(new RecursiveSplitter(limits, TokenCounter.characters()), doc);
        assertWellFormed(doc, chunks, TokenCounter.characters(), limits);
        assertThat(chunks).extracting(Chunk::text).contains("y".repeat(10), "y".repeat(5) + " and");
    }

    @Test
    void hardCutsNeverSplitASurrogatePairAndKeepAnOversizedCharacterWhole() {
        String emoji = "\uD83D\uDE00"; // one code point, 2 chars, 4 UTF-8 bytes
        Document doc = doc(emoji.repeat(8));
        List<Chunk> chunks = split(new RecursiveSplitter(new ChunkLimits(5, 0), TokenCounter.characters()), doc);
        assertThat(chunks).extracting(Chunk::text).containsExactly(
                emoji.repeat(2), emoji.repeat(2), emoji.repeat(2), emoji.repeat(2));

        TokenCounter utf8Bytes = text -> text.getBytes(StandardCharsets.UTF_8).length;
        List<Chunk> bytes = split(new RecursiveSplitter(new ChunkLimits(3, 0), utf8Bytes), doc("ab" + emoji + "c"));
        assertThat(bytes).extracting(Chunk::text).containsExactly("ab", emoji, "c");
    }

    @Test
    void eachPieceIsCountedAboutOnceNotOncePerAddedWord() {
        AtomicLong counted = new AtomicLong();
        TokenCounter metered = text -> {
            counted.addAndGet(text.length());
            return WORDS.count(text);
        };
        Document doc = doc(prose(200, 12));
        List<Chunk> chunks = split(new RecursiveSplitter(new ChunkLimits(64, 8), metered), doc);
        assertThat(chunks).hasSizeGreaterThan(200);
        // Section, paragraphs, sentences, then each chunk once more, plus the overlaps.
        assertThat(counted.get()).isLessThan(6L * doc.text().length());
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
        assertThat(a).extracting(Chunk::start).containsExactly(0, 6);
    }

    @Test
    void badLimitsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new ChunkLimits(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> new ChunkLimits(10, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlapTokens");
        assertThatThrownBy(() -> new ChunkLimits(10, 11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlapTokens");
        assertThatThrownBy(() -> new ChunkLimits(10, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlapTokens");
        assertThatThrownBy(() -> new RecursiveSplitter(null, WORDS)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("limits");
        assertThatThrownBy(() -> new RecursiveSplitter(new ChunkLimits(10, 0), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("counter");
        assertThatThrownBy(() -> new RecursiveSplitter(49, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxChars");
        assertThatThrownBy(() -> new RecursiveSplitter(200, 100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlapChars");
        assertThat(new ChunkLimits(1, 0).maxTokens()).isEqualTo(1);
    }

    @Test
    void chunksWithoutOffsetsAreThoseOfTheStoresAndOffsetsMustSpanTheText() {
        var stored = new Chunk("id", "t", "s", "T", List.of(), "text", 0, "h");
        assertThat(stored.hasOffsets()).isFalse();
        assertThat(stored.start()).isEqualTo(-1);
        assertThatThrownBy(() -> new Chunk("id", "t", "s", "T", List.of(), "text", 0, "h", 3, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offsets");
    }
}
