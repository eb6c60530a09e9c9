package dev.sextant.eval.answers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.sextant.eval.answers.AnswerMetrics.Groundedness;
import dev.sextant.eval.answers.AnswerMetrics.SentenceSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-computed cases. */
class AnswerMetricsTest {

    // ------------------------------------------------------------ citations

    @Test
    void citationPrecisionAndRecallCountDistinctSources() {
        List<String> cited = List.of("a", "b", "a"); // distinct {a, b}
        List<String> gold = List.of("a", "c");
        assertThat(AnswerMetrics.citationPrecision(cited, gold)).hasValue(0.5); // 1 of {a, b}
        assertThat(AnswerMetrics.citationRecall(cited, gold)).isEqualTo(0.5);   // 1 of {a, c}
        assertThat(AnswerMetrics.citationPrecision(List.of("a", "c", "d"), gold).getAsDouble())
                .isEqualTo(2.0 / 3);
        assertThat(AnswerMetrics.citationRecall(List.of("c", "a", "d"), gold)).isEqualTo(1.0);
    }

    @Test
    void noCitationLeavesPrecisionUndefinedAndRecallZero() {
        assertThat(AnswerMetrics.citationPrecision(List.of(), List.of("a"))).isEqualTo(OptionalDouble.empty());
        assertThat(AnswerMetrics.citationRecall(List.of(), List.of("a"))).isEqualTo(0.0);
    }

    @Test
    void withoutGoldEveryCitationIsWrongAndRecallIsUndefined() {
        assertThat(AnswerMetrics.citationPrecision(List.of("x"), List.of())).hasValue(0.0);
        assertThatThrownBy(() -> AnswerMetrics.citationRecall(List.of("x"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gold source");
    }

    // ------------------------------------------------------------ SQuAD

    @Test
    void normalizationFollowsSquad() {
        assertThat(AnswerMetrics.normalize("The  Quick, brown fox's \"tail\"!")).isEqualTo("quick brown foxs tail");
        assertThat(AnswerMetrics.normalize("  An\tapple a day\n")).isEqualTo("apple day");
        assertThat(AnswerMetrics.normalize("Theory of \u2018A\u2019 \u2014 atheists")).isEqualTo("theory of atheists");
        assertThat(AnswerMetrics.normalize("$5.00 (USD)")).isEqualTo("500 usd");
        assertThat(AnswerMetrics.normalize("The.")).isEmpty();
    }

    @Test
    void exactMatchComparesNormalisedTexts() {
        assertThat(AnswerMetrics.exactMatch("The Eiffel Tower.", "eiffel tower")).isTrue();
        assertThat(AnswerMetrics.exactMatch("Eiffel Tower in Paris", "Eiffel Tower")).isFalse();
    }

    @Test
    void tokenF1IsTheHarmonicMeanOverTokenBags() {
        // "cat sat on mat" vs "cat sat on hat": 3 common of 4 and 4 -> P = R = 0.75
        assertThat(AnswerMetrics.tokenF1("the cat sat on the mat", "a cat sat on a hat")).isEqualTo(0.75);
        // bags {x:2, y:1} vs {x, y, z, w}: common = min(2,1) + 1 = 2 -> P = 2/3, R = 1/2, F1 = 4/7
        assertThat(AnswerMetrics.tokenF1("x x y", "x y z w")).isCloseTo(4.0 / 7, offset(1e-12));
        assertThat(AnswerMetrics.tokenF1("foo", "bar")).isEqualTo(0.0);
        assertThat(AnswerMetrics.tokenF1("Port 5432.", "port 5432")).isEqualTo(1.0);
    }

    @Test
    void tokenF1OfEmptyTextsIsOneOnlyWhenBothAreEmpty() {
        assertThat(AnswerMetrics.tokenF1("", "the")).isEqualTo(1.0); // both normalise to nothing
        assertThat(AnswerMetrics.tokenF1("The", "x")).isEqualTo(0.0);
        assertThat(AnswerMetrics.tokenF1("x", "")).isEqualTo(0.0);
    }

    // ------------------------------------------------------------ refusals

    @ParameterizedTest
    @ValueSource(strings = {
            "I don't know.",
            "I DO NOT KNOW the answer.",
            "I don\u2019t know based on these passages.",
            "Sorry, I cannot answer that from the provided documents.",
            "I am unable to answer this question.",
            "This question cannot be answered with the given context.",
            "The context does not mention the default port.",
            "The provided documents don\u2019t specify this.",
            "The documents do not contain any information about replication slots.",
            "This is not mentioned in the context.",
            "The answer is not in the provided context.",
            "There is no information about this in the sources.",
            "I don't have enough information to answer.",
            "I couldn't find the answer in the sources.",
            "The passages contain no information about it.",
            "Use VACUUM [1]. The documents do not say how long it takes.",
    })
    void refusalsAreDetected(String answer) {
        assertThat(AnswerMetrics.isRefusal(answer)).as(answer).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "I know that you don't need to restart the server.",
            "If you don't know the port, run SHOW port.",
            "The documents do not need to be re-indexed after an update.",
            "The context switch does not block readers.",
            "No, autovacuum is not in the critical path.",
            "The source has no primary key.",
            "Set max_connections to 200 [1].",
            "",
    })
    void answersAreNotRefusals(String answer) {
        assertThat(AnswerMetrics.isRefusal(answer)).as(answer).isFalse();
    }

    // ------------------------------------------------------------ sentences and overlap

    @Test
    void splitterCutsAtSentenceEndsAndLinesAndDropsCitationMarkers() {
        String text = "Use e.g. the default. It is 3.5 times faster [1][2]! Really? \"Quoted.\" Next [1, 3].\n"
                + "- First item here\n2. Second item";
        assertThat(AnswerMetrics.sentences(text)).containsExactly("Use e.g. the default.", "It is 3.5 times faster!",
                "Really?", "\"Quoted.\"", "Next.", "First item here", "Second item");
    }

    @Test
    void contentOverlapIsTheShareOfNonStopwordsFoundInTheChunk() {
        // content words {quick, brown, fox}; the chunk has quick and fox
        assertThat(AnswerMetrics.contentOverlap("The quick brown fox", "a quick fox")).isEqualTo(2.0 / 3);
        assertThat(AnswerMetrics.contentOverlap("It is what it is", "anything")).isEqualTo(0.0);
    }

    // ------------------------------------------------------------ groundedness

    static final String VACUUM_CHUNK = "VACUUM reclaims storage occupied by dead tuples. It runs in the background.";

    @Test
    void groundednessCountsSupportedSentencesByWordOverlap() {
        String answer = "VACUUM reclaims storage occupied by dead tuples [1]. It also compresses every table on "
                + "disk [1]. Yes.";
        Groundedness g = AnswerMetrics.groundedness(answer, List.of("unrelated text", VACUUM_CHUNK));
        // sentence 1: {vacuum, reclaims, storage, occupied, dead, tuples} all in chunk 2 -> 1.0, supported
        // sentence 2: {compresses, every, table, disk} none in either chunk -> 0.0
        // "Yes." has one word: not judged
        assertThat(g.score()).isEqualTo(0.5);
        assertThat(g.supported()).isEqualTo(1);
        assertThat(g.sentences()).extracting(SentenceSupport::sentence)
                .containsExactly("VACUUM reclaims storage occupied by dead tuples.",
                        "It also compresses every table on disk.");
        assertThat(g.sentences()).extracting(SentenceSupport::overlap).containsExactly(1.0, 0.0);
        assertThat(g.sentences().get(0).cosine()).isNaN();
    }

    @Test
    void overlapExactlyAtTheThresholdSupports() {
        // content words {alpha, beta, gamma, delta, epsilon}: 3 in the chunk = 0.6; 2 = 0.4
        assertThat(AnswerMetrics.groundedness("Alpha beta gamma delta epsilon.", List.of("alpha beta gamma"))
                .score()).isEqualTo(1.0);
        assertThat(AnswerMetrics.groundedness("Alpha beta gamma delta epsilon.", List.of("alpha beta"))
                .score()).isEqualTo(0.0);
    }

    static final String ROW_CHUNK = "PostgreSQL removes dead row versions during vacuum processing.";
    // {vacuum, cleans, dead, rows, tables, quickly}: vacuum, dead in chunk -> 2/6; cosine 0.8 -> supported
    static final String PARAPHRASE = "Vacuum cleans dead rows out of tables quickly.";
    // {vacuum, never, locks, table}: vacuum -> 1/4 < 0.3; cosine 0.9 but on-topic and unsupported
    static final String ON_TOPIC_CLAIM = "Vacuum never locks any table at all.";
    // {dead, rows, get, purged, vacuum, eventually}: 2/6; cosine 0.7 < 0.75
    static final String WEAK = "Dead rows get purged by vacuum eventually.";

    static final Map<String, float[]> VECTORS = Map.of(
            ROW_CHUNK, new float[] {1, 0},
            PARAPHRASE, new float[] {0.8f, 0.6f},
            ON_TOPIC_CLAIM, new float[] {0.9f, (float) Math.sqrt(1 - 0.81)},
            WEAK, new float[] {0.7f, (float) Math.sqrt(1 - 0.49)});

    @Test
    void embeddingsAdmitParaphraseButOnlyWithSomeOverlap() {
        List<List<String>> calls = new ArrayList<>();
        Function<List<String>, List<float[]>> embedder = texts -> {
            calls.add(texts);
            return texts.stream().map(VECTORS::get).toList();
        };
        String answer = PARAPHRASE + " " + ON_TOPIC_CLAIM + " " + WEAK;

        Groundedness with = AnswerMetrics.groundedness(answer, List.of(ROW_CHUNK), embedder);
        assertThat(with.score()).isEqualTo(1.0 / 3);
        assertThat(with.sentences()).extracting(SentenceSupport::supported).containsExactly(true, false, false);
        assertThat(with.sentences()).extracting(SentenceSupport::overlap)
                .containsExactly(2.0 / 6, 1.0 / 4, 2.0 / 6);
        assertThat(with.sentences().get(0).cosine()).isCloseTo(0.8, offset(1e-6));
        assertThat(with.sentences().get(1).cosine()).isCloseTo(0.9, offset(1e-6));
        assertThat(calls).containsExactly(List.of(PARAPHRASE, ON_TOPIC_CLAIM, WEAK, ROW_CHUNK));

        assertThat(AnswerMetrics.groundedness(answer, List.of(ROW_CHUNK)).score()).isEqualTo(0.0);
    }

    @Test
    void withoutJudgedSentencesARefusalIsGroundedAndAnythingElseIsNot() {
        assertThat(AnswerMetrics.groundedness("I don't know.", List.of(VACUUM_CHUNK)).score()).isEqualTo(1.0);
        assertThat(AnswerMetrics.groundedness("The context does not say [1].", List.of()).score()).isEqualTo(1.0);
        assertThat(AnswerMetrics.groundedness("", List.of(VACUUM_CHUNK)).score()).isEqualTo(0.0);
        assertThat(AnswerMetrics.groundedness("Yes [1].", List.of(VACUUM_CHUNK)).score()).isEqualTo(0.0);
        assertThat(AnswerMetrics.groundedness("It is what it is.", List.of(VACUUM_CHUNK)).sentences()).isEmpty();
    }

    @Test
    void refusalSentencesAreNotJudgedAndNoChunkSupportsNothing() {
        String answer = "VACUUM reclaims storage occupied by dead tuples [1]. The documents do not say how long it "
                + "takes.";
        assertThat(AnswerMetrics.groundedness(answer, List.of(VACUUM_CHUNK)).score()).isEqualTo(1.0);
        assertThat(AnswerMetrics.groundedness(answer, List.of()).score()).isEqualTo(0.0);
    }
}
