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
