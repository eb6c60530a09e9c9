package dev.sextant.eval.answers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.sextant.eval.answers.Groundedness.SentenceSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Hand-computed cases. */
class GroundednessMetricTest {

    // ------------------------------------------------------------ sentences and overlap

    @Test
    void splitterCutsAtSentenceEndsAndLinesAndDropsCitationMarkers() {
        String text = "Use e.g. the default. It is 3.5 times faster [1][2]! Really? \"Quoted.\" Next [1, 3].\n"
                + "- First item here\n2. Second item";
        assertThat(GroundednessMetric.sentences(text)).containsExactly("Use e.g. the default.",
                "It is 3.5 times faster!", "Really?", "\"Quoted.\"", "Next.", "First item here", "Second item");
    }

    @Test
    void contentOverlapIsTheShareOfNonStopwordsFoundInTheChunk() {
        // content words {quick, brown, fox}; the chunk has quick and fox
        assertThat(GroundednessMetric.contentOverlap("The quick brown fox", "a quick fox")).isEqualTo(2.0 / 3);
        assertThat(GroundednessMetric.contentOverlap("It is what it is", "anything")).isEqualTo(0.0);
    }

    // ------------------------------------------------------------ groundedness

    static final String VACUUM_CHUNK = "VACUUM reclaims storage occupied by dead tuples. It runs in the background.";

    @Test
    void groundednessCountsSupportedSentencesByWordOverlap() {
        String answer = "VACUUM reclaims storage occupied by dead tuples [1]. It also compresses every table on "
                + "disk [1]. Yes.";
        Groundedness g = GroundednessMetric.groundedness(answer, List.of("unrelated text", VACUUM_CHUNK));
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
        assertThat(GroundednessMetric.groundedness("Alpha beta gamma delta epsilon.", List.of("alpha beta gamma"))
                .score()).isEqualTo(1.0);
        assertThat(GroundednessMetric.groundedness("Alpha beta gamma delta epsilon.", List.of("alpha beta"))
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

        Groundedness with = GroundednessMetric.groundedness(answer, List.of(ROW_CHUNK), embedder);
        assertThat(with.score()).isEqualTo(1.0 / 3);
        assertThat(with.sentences()).extracting(SentenceSupport::supported).containsExactly(true, false, false);
        assertThat(with.sentences()).extracting(SentenceSupport::overlap)
                .containsExactly(2.0 / 6, 1.0 / 4, 2.0 / 6);
        assertThat(with.sentences().get(0).cosine()).isCloseTo(0.8, offset(1e-6));
        assertThat(with.sentences().get(1).cosine()).isCloseTo(0.9, offset(1e-6));
        assertThat(calls).containsExactly(List.of(PARAPHRASE, ON_TOPIC_CLAIM, WEAK, ROW_CHUNK));

        assertThat(GroundednessMetric.groundedness(answer, List.of(ROW_CHUNK)).score()).isEqualTo(0.0);
    }

    @Test
    void withoutJudgedSentencesARefusalIsGroundedAndAnythingElseIsNot() {
        assertThat(GroundednessMetric.groundedness("I don't know.", List.of(VACUUM_CHUNK)).score()).isEqualTo(1.0);
        assertThat(GroundednessMetric.groundedness("The context does not say [1].", List.of()).score()).isEqualTo(1.0);
        assertThat(GroundednessMetric.groundedness("", List.of(VACUUM_CHUNK)).score()).isEqualTo(0.0);
        assertThat(GroundednessMetric.groundedness("Yes [1].", List.of(VACUUM_CHUNK)).score()).isEqualTo(0.0);
        assertThat(GroundednessMetric.groundedness("It is what it is.", List.of(VACUUM_CHUNK)).sentences()).isEmpty();
    }

    @Test
    void refusalSentencesAreNotJudgedAndNoChunkSupportsNothing() {
        String answer = "VACUUM reclaims storage occupied by dead tuples [1]. The documents do not say how long it "
                + "takes.";
        assertThat(GroundednessMetric.groundedness(answer, List.of(VACUUM_CHUNK)).score()).isEqualTo(1.0);
        assertThat(GroundednessMetric.groundedness(answer, List.of()).score()).isEqualTo(0.0);
    }
}
