package dev.sextant.router.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.retrieve.Evidence;
import dev.sextant.rag.retrieve.RetrievalResult;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.router.config.AnswerabilityConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerabilityGateTest {

    record Settings(String mode, double minDense, double confidentDense, String message)
            implements AnswerabilityConfig {
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private AnswerabilityGate gate(String mode) {
        return new AnswerabilityGate(new Settings(mode, 0.40, 0.66, "Not in the documents."),
                tenant -> tenant.equals("open") ? Optional.of("off") : tenant.equals("strict")
                        ? Optional.of("refuse") : Optional.empty(), registry);
    }

    private static ScoredChunk chunk(String id, double score) {
        return new ScoredChunk(new Chunk(id, "t", id + ".html", id, List.of(), "text " + id, 0, "h"), score);
    }

    /** Fused matches a (cosine 0.55), b (cosine 0.30) and c (found by keyword alone). */
    private static RetrievalResult retrieval(double best, List<String> unknownTerms) {
        var matches = List.of(chunk("a", 0.03), chunk("b", 0.02), chunk("c", 0.01));
        return new RetrievalResult(matches, 0, new Evidence(best, List.of(), unknownTerms, 4,
                Map.of("a", best, "b", 0.30)));
    }

    @Test
    void coveredQuestionsKeepOnlyPassagesNotBelowTheFloor() {
        var decision = gate("refuse").decide("default", retrieval(0.55, List.of()));
        assertThat(decision.coverage()).isEqualTo(Coverage.COVERED);
        assertThat(decision.refuse()).isFalse();
        assertThat(decision.passages()).extracting(m -> m.chunk().id()).containsExactly("a", "c");
        assertThat(registry.counter("sextant.answerability", "mode", "refuse", "decision", "answerable").count())
                .isEqualTo(1);
    }

    @Test
    void aTermTheDocumentsNeverMentionRefusesUnlessTheBestPassageIsClose() {
        var refused = gate("refuse").decide("default", retrieval(0.55, List.of("patroni")));
        assertThat(refused.coverage()).isEqualTo(Coverage.NOT_COVERED);
        assertThat(refused.refuse()).isTrue();
        var close = gate("refuse").decide("default", retrieval(0.70, List.of("patroni")));
        assertThat(close.coverage()).isEqualTo(Coverage.COVERED);
        var far = gate("refuse").decide("default", retrieval(0.35, List.of()));
        assertThat(far.refuse()).isTrue();
        assertThat(far.passages()).extracting(m -> m.chunk().id()).containsExactly("c");
        assertThat(registry.counter("sextant.answerability", "mode", "refuse", "decision", "unanswerable").count())
                .isEqualTo(2);
    }

    @Test
    void flagModeAnswersButMarksAndTenantsOverrideTheMode() {
        var flagged = gate("flag").decide("default", retrieval(0.35, List.of()));
        assertThat(flagged.coverage()).isEqualTo(Coverage.NOT_COVERED);
        assertThat(flagged.refuse()).isFalse();
        var open = gate("flag").decide("open", retrieval(0.35, List.of()));
        assertThat(open.coverage()).isEqualTo(Coverage.UNCHECKED);
        assertThat(open.passages()).hasSize(3);
        assertThat(gate("off").decide("strict", retrieval(0.35, List.of())).refuse()).isTrue();
        assertThat(gate("off").mode("default")).isEqualTo(AnswerabilityGate.Mode.OFF);
        assertThat(Coverage.UNCHECKED.answerable()).isNull();
        assertThat(Coverage.NOT_COVERED.answerable()).isFalse();
    }
}
