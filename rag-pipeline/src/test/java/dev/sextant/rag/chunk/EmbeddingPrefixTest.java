package dev.sextant.rag.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.embeddings.onnx.EncoderTokenizer;
import dev.sextant.rag.document.Document;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prefix line before a chunk's text in the embedder's input, fitted to the model's window: counted with MiniLM's
 * own tokenizer, no embedding input is longer than the 128 tokens the model reads.
 */
class EmbeddingPrefixTest {

    static final int WINDOW = 128;
    static final String TITLE = "9.16. JSON Functions and Operators";
    static final String SECTION = "9.16.1. Processing and Creating JSON Data";
    /** An innermost heading that alone is longer than a third of the window. */
    static final String SIGNATURE = "jsonb_path_query_first ( target jsonb, path jsonpath [, vars jsonb [, silent "
            + "boolean ]] ) → jsonb returns the first JSON item returned by the JSON path for the specified JSON "
            + "value; returns NULL if there are no results (the same flags as for jsonb_path_exists)";
    /** Headings that fit one by one but not all together. */
    static final List<String> DEEP = List.of(TITLE, SECTION, "Table 9.45. Additional jsonb Operators and their "
                    + "semantics", "Table 9.47. JSON Processing Functions, set-returning variants",
            "Examples of jsonb_populate_record with nested composite types", "Handling of null values");

    static EncoderTokenizer tokenizer;
    static TokenCounter minilm;

    @BeforeAll
    static void loadTokenizer() {
        tokenizer = EncoderTokenizer.forModel("all-minilm-l6-v2-q");
        minilm = tokenizer::countTokens;
        assertThat(tokenizer.maxTokens()).isEqualTo(WINDOW);
    }

    @AfterAll
    static void closeTokenizer() {
        tokenizer.close();
    }

    /** Manual-like prose: sentences of words, identifiers, SQL, numbers and punctuation, in paragraphs. */
    static String manual(int paragraphs, int seed) {
        String[] sentences = {
            "The jsonb_set function replaces the item designated by path with new_value, or adds it if "
                    + "create_if_missing is true (the default) and the item designated by path does not exist.",
            "SELECT jsonb_set('[{\"f1\":1,\"f2\":null},2,null,3]', '{0,f1}', '[2,3,4]', false);",
            "All the items of the path parameter must be present in the target, except the last one.",
            "If the last path item is an object key, it will be created if it is absent and given the new value.",
            "Note that json_strip_nulls removes object fields with null values, not null array elements (see "
                    + "Section 8.14.4 and https://www.postgresql.org/docs/15/datatype-json.html).",
            "Returns the number of elements in the top-level JSON array: 5 for '[1,2,3,{\"f1\":1,\"f2\":[5,6]},4]'.",
            "Deeply-nested structures cost O(n log n) comparisons; autovacuum_vacuum_cost_limit=200 is unrelated.",
            "The operator #>> extracts the sub-object at the specified path as text, e.g. '{a,b}'.",
        };
        List<String> paras = new ArrayList<>();
        int k = seed;
        for (int p = 0; p < paragraphs; p++) {
            StringBuilder sb = new StringBuilder();
            for (int s = 0; s < 3 + (p + seed) % 4; s++) {
                sb.append(s == 0 ? "" : " ").append(sentences[k++ % sentences.length]);
            }
            paras.add(sb.toString());
        }
        return String.join("\n\n", paras);
    }

    static Document document() {
        List<String> longHeading = List.of(TITLE, SECTION, SIGNATURE);
        return new Document("functions-json.html", TITLE, List.of(
                new Document.Section(List.of(TITLE), manual(6, 0)),
                new Document.Section(List.of(TITLE, SECTION), manual(9, 3)),
                new Document.Section(DEEP, manual(9, 5)),
                new Document.Section(longHeading, manual(9, 1)),
                new Document.Section(List.of(TITLE, "Short"), "Just one line.")));
    }

    static List<Chunk> split(ChunkLimits limits, Document doc) {
        return new RecursiveSplitter(limits, minilm).split(new DocumentSplitter.SplitRequest(doc, "t"));
    }

    @Test
    void noEmbeddingInputIsLongerThanTheModelWindowWhateverThePrefix() {
        Document doc = document();
        for (HeadingPrefix policy : HeadingPrefix.values()) {
            ChunkLimits limits = new ChunkLimits(96, 16, WINDOW, policy);
            List<Chunk> chunks = split(limits, doc);
            RecursiveSplitterTest.assertWellFormed(doc, chunks, minilm, limits);
            assertThat(chunks).as(policy.name()).hasSizeGreaterThan(10);
            int fullest = 0;
            for (Chunk c : chunks) {
                int input = minilm.count(c.embeddingText()) + ChunkLimits.SPECIAL_TOKENS;
                assertThat(input).as("%s: input tokens of chunk %d", policy, c.ordinal()).isLessThanOrEqualTo(WINDOW);
                assertThat(minilm.count(c.text())).isLessThanOrEqualTo(96);
                assertThat(minilm.count(c.embeddingPrefix() + "\n")).isLessThanOrEqualTo(limits.maxPrefixTokens());
                assertThat(doc.text().substring(c.start(), c.end())).isEqualTo(c.text());
                fullest = Math.max(fullest, input);
                // The store keeps the whole heading path, and BM25 reads all of it.
                assertThat(c.keywordText()).startsWith(HeadingPrefix.PATH.line(c.title(), c.headingPath()) + "\n");
            }
            // The window is used, not starved: some inputs come within a sentence of it.
            assertThat(fullest).as(policy.name()).isGreaterThan(policy == HeadingPrefix.NONE ? 80 : 110);
        }
    }

    @Test
    void withoutAWindowTheWholePathIsPrefixedAndInputsOverflow() {
        // What the fitting prevents: 96 tokens of text plus the whole path, unchecked (the old behaviour).
        List<Chunk> chunks = split(new ChunkLimits(96, 16, 0, HeadingPrefix.PATH), document());
        assertThat(chunks).allSatisfy(c -> assertThat(c.embeddingPrefix())
                .isEqualTo(HeadingPrefix.PATH.line(c.title(), c.headingPath())));
        assertThat(chunks).anySatisfy(c -> assertThat(minilm.count(c.embeddingText()) + 2).isGreaterThan(WINDOW));
    }

    @Test
    void aPathOfManyHeadingsKeepsTheTitleAndTheInnermostHeadings() {
        String full = HeadingPrefix.PATH.line(TITLE, DEEP);
        ChunkLimits limits = new ChunkLimits(96, 16, WINDOW, HeadingPrefix.PATH);
        assertThat(minilm.count(full + "\n")).isGreaterThan(limits.maxPrefixTokens());

        RecursiveSplitter.Prefix prefix = new RecursiveSplitter(limits, minilm).prefix(TITLE, DEEP);
        assertThat(prefix.line()).startsWith(TITLE + " > ").endsWith(" > Handling of null values")
                .doesNotContain(SECTION); // outermost headings go first
        assertThat(prefix.tokens()).isEqualTo(minilm.count(prefix.line() + "\n"))
                .isLessThanOrEqualTo(limits.maxPrefixTokens());
        // As many inner headings as fit: one more would not.
        List<String> kept = List.of(prefix.line().split(" > "));
        String next = DEEP.get(DEEP.size() - kept.size());
        List<String> more = new ArrayList<>(kept);
        more.add(1, next);
        assertThat(minilm.count(String.join(" > ", more) + "\n")).isGreaterThan(limits.maxPrefixTokens());

        List<Chunk> chunks = split(limits, new Document("d", TITLE, List.of(new Document.Section(DEEP,
                manual(4, 2)))));
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.embeddingPrefix()).isEqualTo(prefix.line());
            assertThat(c.headingPath()).isEqualTo(DEEP);
            assertThat(minilm.count(c.text())).isLessThanOrEqualTo(WINDOW - 2 - prefix.tokens());
        });
    }

    @Test
    void aHeadingLongerThanAThirdOfTheWindowIsCutAtAWord() {
        for (HeadingPrefix policy : List.of(HeadingPrefix.PATH, HeadingPrefix.NEAREST)) {
            ChunkLimits limits = new ChunkLimits(96, 16, WINDOW, policy);
            RecursiveSplitter.Prefix prefix = new RecursiveSplitter(limits, minilm)
                    .prefix(TITLE, List.of(TITLE, SECTION, SIGNATURE));
            String whole = TITLE + " > " + SIGNATURE;
            assertThat(prefix.line()).as(policy.name()).startsWith(TITLE + " > jsonb_path_query_first ( target")
                    .isNotEqualTo(whole);
            assertThat(whole).startsWith(prefix.line());
            assertThat(whole.charAt(prefix.line().length())).isEqualTo(' ');
            assertThat(prefix.tokens()).isLessThanOrEqualTo(limits.maxPrefixTokens());
            // The longest run of words that fits: the next word would not.
            int nextEnd = whole.indexOf(' ', prefix.line().length() + 1);
            assertThat(minilm.count(whole.substring(0, nextEnd) + "\n")).isGreaterThan(limits.maxPrefixTokens());
        }
    }

    @Test
    void nearestKeepsTheTitleAndInnermostHeadingAndNoneNothing() {
        Document doc = new Document("d", TITLE, List.of(new Document.Section(List.of(TITLE, SECTION, "Inner"),
                "Some text about jsonb.")));
        Chunk nearest = split(new ChunkLimits(96, 16, WINDOW, HeadingPrefix.NEAREST), doc).get(0);
        assertThat(nearest.embeddingPrefix()).isEqualTo(TITLE + " > Inner");
        assertThat(nearest.embeddingText()).isEqualTo(TITLE + " > Inner\nSome text about jsonb.");
        Chunk path = split(new ChunkLimits(96, 16, WINDOW, HeadingPrefix.PATH), doc).get(0);
        assertThat(path.embeddingText()).isEqualTo(TITLE + " > " + SECTION + " > Inner\nSome text about jsonb.");
        Chunk none = split(new ChunkLimits(96, 16, WINDOW, HeadingPrefix.NONE), doc).get(0);
        assertThat(none.embeddingPrefix()).isEmpty();
        assertThat(none.embeddingText()).isEqualTo("Some text about jsonb.");
        assertThat(none.keywordText()).isEqualTo(path.embeddingText());
        // Whatever the prefix, the chunk keeps its heading path.
        assertThat(List.of(nearest, path, none)).allSatisfy(c ->
                assertThat(c.headingPath()).containsExactly(TITLE, SECTION, "Inner"));
    }

    @Test
    void theTextGetsWhatThePrefixLeavesInWordTokens() {
        // Words as tokens: "Title > H\n" is 3; a 40-token window leaves 40 - 2 - 3 = 35 for the text.
        TokenCounter words = RecursiveSplitterTest.WORDS;
        ChunkLimits limits = new ChunkLimits(50, 10, 40, HeadingPrefix.PATH);
        assertThat(limits.maxPrefixTokens()).isEqualTo(12);
        assertThat(limits.textTokens(3)).isEqualTo(35);
        Document doc = RecursiveSplitterTest.doc(RecursiveSplitterTest.prose(6, 12));
        List<Chunk> chunks = split(limits, doc, words);
        assertThat(chunks).hasSizeGreaterThan(10).allSatisfy(c -> {
            assertThat(c.embeddingPrefix()).isEqualTo("Title > H");
            assertThat(words.count(c.text())).isLessThanOrEqualTo(35);
            assertThat(words.count(c.embeddingText()) + 2).isLessThanOrEqualTo(40);
        });
        // Overlap and whole sentences of 7 words: all but the last chunk are nearly full.
        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(c -> assertThat(words.count(c.text())).isGreaterThan(28));
        // No prefix: the chunk size is the limit again.
        List<Chunk> bare = split(limits.withHeadingPrefix(HeadingPrefix.NONE), doc, words);
        assertThat(bare).allSatisfy(c -> assertThat(words.count(c.text())).isLessThanOrEqualTo(38));
        assertThat(bare).anySatisfy(c -> assertThat(words.count(c.text())).isGreaterThan(35));
        // A window larger than chunk + prefix changes nothing.
        assertThat(split(new ChunkLimits(30, 5, 512, HeadingPrefix.PATH), doc, words))
                .extracting(Chunk::text)
                .isEqualTo(split(new ChunkLimits(30, 5), doc, words).stream().map(Chunk::text).toList());
    }

    private static List<Chunk> split(ChunkLimits limits, Document doc, TokenCounter counter) {
        return new RecursiveSplitter(limits, counter).split(new DocumentSplitter.SplitRequest(doc, "t"));
    }

    @Test
    void chunksMadeWithoutASplitterPrefixTheWholePath() {
        Chunk stored = new Chunk("id", "t", "s", "Doc", List.of("Doc", "A", "B"), "text", 0, "h");
        assertThat(stored.embeddingPrefix()).isNull();
        assertThat(stored.embeddingText()).isEqualTo("Doc > A > B\ntext");
        assertThat(stored.keywordText()).isEqualTo("Doc > A > B\ntext");
        assertThat(new Chunk("id", "t", "s", "", List.of(), "text", 0, "h").embeddingText()).isEqualTo("text");
    }

    @Test
    void limitsRefuseAWindowTooSmallForTheOverlap() {
        assertThatThrownBy(() -> new ChunkLimits(96, 16, 3, HeadingPrefix.PATH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modelTokens");
        // 128: a prefix may take 42, leaving 84 tokens of text; an overlap of 90 would not fit.
        assertThatThrownBy(() -> new ChunkLimits(96, 90, 128, HeadingPrefix.PATH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlapTokens");
        assertThat(new ChunkLimits(96, 90, 128, HeadingPrefix.NONE).textTokens(0)).isEqualTo(96);
        assertThat(new ChunkLimits(96, 83, 128, HeadingPrefix.PATH).textTokens(42)).isEqualTo(84);
        assertThatThrownBy(() -> new ChunkLimits(96, 16, 128, null)).isInstanceOf(NullPointerException.class);
        assertThat(new ChunkLimits(96, 16).hasModelWindow()).isFalse();
        assertThat(new ChunkLimits(96, 16).maxPrefixTokens()).isEqualTo(Integer.MAX_VALUE);
        assertThat(new ChunkLimits(96, 16, 128).headingPrefix()).isEqualTo(ChunkLimits.DEFAULT_HEADING_PREFIX);
    }

    @Test
    void configValues() {
        assertThat(HeadingPrefix.fromConfig("path")).isEqualTo(HeadingPrefix.PATH);
        assertThat(HeadingPrefix.fromConfig(" Nearest ")).isEqualTo(HeadingPrefix.NEAREST);
        assertThat(HeadingPrefix.NONE.configValue()).isEqualTo("none");
        assertThatThrownBy(() -> HeadingPrefix.fromConfig("full")).hasMessageContaining("path, nearest or none");
    }
}
