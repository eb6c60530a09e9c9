package dev.sextant.eval.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteLoaderTest {

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("q.json"), "[{\"id\": \"a\", \"question\": \"Why?\", \"gold\": [\"x.md\"]}]");
        Files.createDirectories(dir.resolve("docs"));
    }

    private Path suite(String yaml) throws Exception {
        return Files.writeString(dir.resolve("suite.yaml"), yaml);
    }

    @Test
    void theShippedSuitesLoad() throws Exception {
        Path suites = Path.of("suites").toAbsolutePath();
        var smoke = SuiteLoader.load(suites.resolve("smoke.yaml"));
        assertThat(smoke.definition().name()).isEqualTo("smoke");
        assertThat(dev.sextant.eval.retrieval.LabelledQuestion.readAll(smoke.path(smoke.definition().questions()))).hasSize(26)
                .filteredOn(q -> !q.answerable()).hasSize(6);
        assertThat(CachePair.read(smoke.path(smoke.definition().cachePairs().file()))).hasSize(12);
        var conversations = dev.sextant.eval.conversation.LabelledConversation.readAll(
                smoke.path(smoke.definition().conversations()));
        assertThat(conversations).hasSize(5);
        for (String name : java.util.List.of("postgresql-15.yaml", "sqlite-3.yaml")) {
            var full = SuiteLoader.load(suites.resolve(name));
            assertThat(dev.sextant.eval.conversation.LabelledConversation.readAll(
                    full.path(full.definition().conversations()))).as(name).hasSizeGreaterThanOrEqualTo(30);
        }
    }

    private static final String TWO_TURNS = """
            [{"id": "c1", "turns": [
              {"question": "How do I vacuum a table?", "gold": ["x.md"], "answer": "VACUUM t;", "kind": "first"},
              {"question": "And that one?", "gold": ["x.md"], "answer": null, "kind": "%s"}]}]""";

    private String withConversations(String file) {
        return """
                name: s1
                corpus:
                  paths: [docs]
                questions: q.json
                conversations: %s
                thresholds:
                  conversations.followup.recall@5: {min: 0.5}
                """.formatted(file);
    }

    @Test
    void conversationsLoadWithTheirMetrics() throws Exception {
        Files.writeString(dir.resolve("c.json"), TWO_TURNS.formatted("followup"));
        var loaded = SuiteLoader.load(suite(withConversations("c.json")));
        assertThat(loaded.definition().conversations()).isEqualTo("c.json");
        assertThat(SuiteMetrics.known()).contains("conversations.first.recall@5",
                "conversations.followup.citation_recall", "conversations.unanswerable.refusal_rate");
        assertThat(SuiteMetrics.higherIsBetter("conversations.followup.false_refusal_rate")).isFalse();
        assertThat(SuiteMetrics.higherIsBetter("conversations.followup.recall@5")).isTrue();
    }

    @Test
    void aMissingConversationsFileNamesItsLine() throws Exception {
        assertThatThrownBy(() -> SuiteLoader.load(suite(withConversations("nope.json"))))
                .isInstanceOf(SuiteException.class).hasMessageContaining("suite.yaml:5: conversations: file not found")
                .hasMessageContaining("nope.json");
    }

    @Test
    void aBadTurnKindNamesTheConversationAndTurn() throws Exception {
        Files.writeString(dir.resolve("c.json"), TWO_TURNS.formatted("follow-up"));
        assertThatThrownBy(() -> SuiteLoader.load(suite(withConversations("c.json"))))
                .isInstanceOf(SuiteException.class).hasMessageContaining("suite.yaml:5: conversations: ")
                .hasMessageContaining("conversation c1 turn 2: \"kind\" must be first, followup or unanswerable, "
                        + "got 'follow-up'");
    }

    @Test
    void badConversationContentIsNamed() throws Exception {
        record Case(String json, String message) {
        }
        for (Case c : java.util.List.of(
                new Case("{}", "must hold a non-empty JSON array of conversations"),
                new Case("[{\"id\": \"c1\", \"turns\": []}]", "conversation c1 needs a non-empty \"turns\" array"),
                new Case(TWO_TURNS.formatted("first"), "c1 turn 2: only the first turn is of kind first"),
                new Case(TWO_TURNS.formatted("unanswerable"), "c1 turn 2: an unanswerable turn has no gold sources"),
                new Case(TWO_TURNS.formatted("followup").replace("\"gold\": [\"x.md\"], \"answer\": \"VACUUM",
                        "\"gold\": [], \"answer\": \"VACUUM"), "c1 turn 1: a first turn needs gold sources"),
                new Case("[" + TWO_TURNS.formatted("followup").substring(1, TWO_TURNS.formatted("followup").length() - 1)
                        + ", " + TWO_TURNS.formatted("followup").substring(1), "conversation c1 appears twice"),
                new Case("[{\"id\": \"c1\", \"turns\": [", "is not valid JSON"))) {
            Files.writeString(dir.resolve("c.json"), c.json());
            assertThatThrownBy(() -> SuiteLoader.load(suite(withConversations("c.json")))).as(c.json())
                    .isInstanceOf(SuiteException.class).hasMessageContaining(c.message());
        }
    }

    @Test
    void aGoodSuiteLoadsWithPathsRelativeToItsFile() throws Exception {
        var loaded = SuiteLoader.load(suite("""
                name: s1
                corpus:
                  paths: [docs]
                questions: q.json
                thresholds:
                  retrieval.hybrid.recall@5: {min: 0.5}
                """));
        assertThat(loaded.path("q.json")).isEqualTo(dir.resolve("q.json").toAbsolutePath());
        assertThat(loaded.definition().thresholds()).containsKey("retrieval.hybrid.recall@5");
    }

    @Test
    void aMistypedFieldNamesItsLineAndTheFieldsThatExist() throws Exception {
        assertThatThrownBy(() -> SuiteLoader.load(suite("""
                name: s1
                corpus:
                  paths: [docs]
                questions: q.json
                retreival:
                  top_k: 5
                """))).isInstanceOf(SuiteException.class)
                .hasMessageContaining("suite.yaml:5").hasMessageContaining("unknown field 'retreival'")
                .hasMessageContaining("retrieval");
    }

    @Test
    void aWrongTypeNamesTheLineAndField() throws Exception {
        assertThatThrownBy(() -> SuiteLoader.load(suite("""
                name: s1
                corpus:
                  paths: [docs]
                questions: q.json
                load:
                  rates: [2]
                  seconds: ten
                """))).hasMessageContaining("suite.yaml:7").hasMessageContaining("load.seconds");
    }

    @Test
    void badValuesNameTheirLineAndField() throws Exception {
        assertThatThrownBy(() -> SuiteLoader.load(suite("""
                name: s1
                corpus:
                  paths: [docs]
                questions: q.json
                retrieval:
                  modes: [hybrid, fuzzy]
                """))).hasMessageContaining("suite.yaml:6").hasMessageContaining("retrieval.modes")
                .hasMessageContaining("fuzzy");
        assertThatThrownBy(() -> SuiteLoader.load(suite("""
                name: s1
                corpus:
                  paths: [docs]
                questions: q.json
                thresholds:
                  retrieval.hybrid.recal@5: {min: 0.5}
                """))).hasMessageContaining("suite.yaml:6").hasMessageContaining("unknown metric 'retrieval.hybrid.recal@5'");
        assertThatThrownBy(() -> SuiteLoader.load(suite("""
                name: s1
                corpus:
                  paths: [docs]
                questions: missing.json
                """))).hasMessageContaining("suite.yaml:4").hasMessageContaining("questions")
                .hasMessageContaining("file not found");
        assertThatThrownBy(() -> SuiteLoader.load(suite("""
                name: s1
                questions: q.json
                """))).hasMessageContaining("'corpus' is required");
        assertThatThrownBy(() -> SuiteLoader.load(suite("""
                name: s1
                corpus:
                  paths: [docs]
                questions: q.json
                load:
                  rates: [0]
                """))).hasMessageContaining("suite.yaml:6").hasMessageContaining("load.rates");
    }

    @Test
    void brokenYamlAndEmptyFilesAreReported() throws Exception {
        assertThatThrownBy(() -> SuiteLoader.load(suite("name: [unclosed\n"))).isInstanceOf(SuiteException.class)
                .hasMessageContaining("suite.yaml");
        assertThatThrownBy(() -> SuiteLoader.load(suite(""))).hasMessageContaining("empty");
        assertThatThrownBy(() -> SuiteLoader.load(dir.resolve("nope.yaml"))).hasMessageContaining("cannot read");
    }
}
