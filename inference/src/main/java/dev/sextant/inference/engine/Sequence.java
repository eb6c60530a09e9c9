package dev.sextant.inference.engine;

import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.sampler.Logprobs;
import dev.sextant.inference.sampler.Sampler;
import dev.sextant.inference.sampler.TokenHistory;
import dev.sextant.inference.scheduler.Scheduler;
import dev.sextant.inference.structured.JsonConstraint;
import java.util.List;

/**
 * One request's state inside the engine: its tokens, sampler and where its cache lives. Everything but
 * {@link #requestEnd} belongs to the engine thread; text, streaming and the result are the request side's
 * ({@link OutputProcessor}).
 */
final class Sequence implements Scheduler.Schedulable {

    final long[] prompt;
    final int budget;
    final long deadlineNanos;
    final long enqueuedNanos = System.nanoTime();
    final Sampler sampler;
    final TokenHistory history;
    final List<Long> eos;
    final TokenQueue tokens;
    /** The grammar the output must follow; null for free text. */
    final JsonConstraint constraint;
    final int topLogprobs;
    int row = -1;
    long lastToken = -1;
    int generated;
    long lastTokenNanos;
    FinishReason finish;
    /** Set by the request side (stop string, cancellation); the engine ends the sequence at its next step. */
    private volatile FinishReason endRequested;

    Sequence(long[] prompt, int budget, long deadlineNanos, Sampler sampler, TokenHistory history, List<Long> eos,
             Thread consumer) {
        this(prompt, budget, deadlineNanos, sampler, history, eos, null, consumer);
    }

    Sequence(long[] prompt, int budget, long deadlineNanos, Sampler sampler, TokenHistory history, List<Long> eos,
             JsonConstraint constraint, Thread consumer) {
        this(prompt, budget, deadlineNanos, sampler, history, eos, constraint, -1, consumer);
    }

    /** @param topLogprobs -1: no log-probabilities; else each token's with this many alternatives */
    Sequence(long[] prompt, int budget, long deadlineNanos, Sampler sampler, TokenHistory history, List<Long> eos,
             JsonConstraint constraint, int topLogprobs, Thread consumer) {
        this.constraint = constraint;
        this.topLogprobs = topLogprobs;
        this.prompt = prompt;
        this.budget = budget;
        this.deadlineNanos = deadlineNanos;
        this.sampler = sampler;
        this.history = history;
        this.eos = eos;
        this.tokens = new TokenQueue(budget, topLogprobs >= 0, consumer);
    }

    @Override
    public int promptTokens() {
        return prompt.length;
    }

    /** Tokens in the cache before the next decode step feeds {@link #lastToken}. */
    int cachedLength() {
        return prompt.length + generated - 1;
    }

    boolean finished() {
        return finish != null;
    }

    /** Request side: no more tokens are wanted. */
    void requestEnd(FinishReason reason) {
        endRequested = reason;
    }

    /** Whether the request side ended the sequence or time ran out; sets the finish reason if so. */
    boolean abandoned(long now) {
        if (finish == null) {
            FinishReason requested = endRequested;
            if (requested != null) {
                finish = requested;
            } else if (now - deadlineNanos > 0) {
                finish = FinishReason.TIMEOUT;
            }
        }
        return finish != null;
    }

    /** Samples the next token from this step's logits, hands it to the request side and decides whether to go on. */
    void accept(float[] logits, long now) {
        if (abandoned(now)) {
            return;
        }
        if (constraint != null) {
            constraint.mask(logits, budget - generated);
        }
        Logprobs step = topLogprobs >= 0 ? Logprobs.before(logits, topLogprobs) : null;
        long token = sampler.sample(logits, history);
        if (constraint != null) {
            constraint.accept(token);
        }
        if (eos.contains(token) || constraint != null && constraint.isEnd(token)) {
            finish = FinishReason.STOP;
            return;
        }
        lastToken = token;
        generated++;
        history.addGenerated(token);
        lastTokenNanos = now;
        tokens.push(token, step == null ? null : step.sampled(token));
        if (generated >= budget) {
            finish = FinishReason.LENGTH;
        } else if (constraint != null && constraint.finished()) {
            // Nothing but end-of-sequence could follow: spare the step that would sample it.
            finish = FinishReason.STOP;
        }
    }

    /** Engine thread, once the sequence has left the batch (or the queue): tells the request side. */
    void end() {
        tokens.end(finish);
    }
}
