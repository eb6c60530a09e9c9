package dev.sextant.router.chat;

import dev.sextant.rag.retrieve.Answerability;
import dev.sextant.rag.retrieve.RetrievalResult;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.router.config.AnswerabilityConfig;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.config.TenantConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides per chat request whether the documents cover the question, from the evidence of its retrieval, and which
 * passages may go into the prompt: the tenant's mode ({@code sextant.tenants."t".answerability}, else
 * {@code sextant.answerability.mode}) says whether to decide at all and whether an uncovered question is refused.
 * Counted in {@code sextant_answerability_total{mode, decision}}.
 */
@ApplicationScoped
public class AnswerabilityGate {

    /** What the gate does for a tenant. */
    public enum Mode {
        OFF, FLAG, REFUSE;

        static Mode of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * @param passages the matches that may go into the prompt (all of them when unchecked)
     */
    public record Decision(Coverage coverage, List<ScoredChunk> passages, boolean refuse) {
    }

    private final AnswerabilityConfig config;
    private final Function<String, Optional<String>> tenantModes;
    private final Answerability policy;
    private final MeterRegistry registry;

    @Inject
    public AnswerabilityGate(SextantConfig config, MeterRegistry registry) {
        this(config.answerability(), tenant -> Optional.ofNullable(config.tenants().get(tenant))
                .flatMap(TenantConfig::answerability), registry);
    }

    /** @param tenantModes a tenant's own mode, where it has one */
    public AnswerabilityGate(AnswerabilityConfig config, Function<String, Optional<String>> tenantModes,
                             MeterRegistry registry) {
        this.config = config;
        this.tenantModes = tenantModes;
        this.policy = new Answerability(config.minDense(), config.confidentDense());
        this.registry = registry;
    }

    public Mode mode(String tenant) {
        return Mode.of(tenantModes.apply(tenant).orElse(config.mode()));
    }

    /** The fixed answer of a refused question. */
    public String refusal() {
        return config.message();
    }

    public Decision decide(String tenant, RetrievalResult retrieval) {
        Mode mode = mode(tenant);
        if (mode == Mode.OFF) {
            return new Decision(Coverage.UNCHECKED, retrieval.matches(), false);
        }
        boolean covered = policy.answerable(retrieval.evidence());
        registry.counter("sextant.answerability", "mode", mode.name().toLowerCase(Locale.ROOT),
                "decision", covered ? "answerable" : "unanswerable").increment();
        List<ScoredChunk> passages = policy.supported(retrieval.matches(), retrieval.evidence());
        return new Decision(covered ? Coverage.COVERED : Coverage.NOT_COVERED, passages,
                !covered && mode == Mode.REFUSE);
    }
}
