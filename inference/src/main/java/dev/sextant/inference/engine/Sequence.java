package dev.sextant.inference.engine;

import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.sampler.Sampler;
import dev.sextant.inference.sampler.TokenHistory;
import dev.sextant.inference.scheduler.Scheduler;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One request's state inside the engine: its tokens, sampler, text and where its cache lives. */
final class Sequence implements Scheduler.Schedulable {

    final long[] prompt;
    final int budget;
    final long deadlineNanos;
    final long enqueuedNanos = System.nanoTime();
    final TokenStream stream;
    final Sampler sampler;
    final TokenHistory history;
    final TextAssembler text;
    final List<Long> eos;
    final CompletableFuture<GenerationResult> done = new CompletableFuture<>();
    final String modelId;
    int row = -1;
    long lastToken = -1;
    int generated;
    long firstTokenNanos;
    long lastTokenNanos;
    FinishReason finish;

    Sequence(String modelId, long[] prompt, int budget, long deadlineNanos, TokenStream stream, Sampler sampler,
             TokenHistory history, TextAssembler text, List<Long> eos) {
        this.modelId = modelId;
        this.prompt = prompt;
        this.budget = budget;
        this.deadlineNanos = deadlineNanos;
        this.stream = stream;
        this.sampler = sampler;
        this.history = history;
        this.text = text;
        this.eos = eos;
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

    /** Whether the client went away or time ran out; sets the finish reason if so. */
    boolean abandoned(long now) {
        if (finish != null) {
            return true;
        }
        boolean cancelled;
        try {
            cancelled = stream.isCancelled();
        } catch (RuntimeException e) {
            cancelled = true;
        }
        if (cancelled) {
            finish = FinishReason.CANCELLED;
        } else if (now - deadlineNanos > 0) {
            finish = FinishReason.TIMEOUT;
        }
        return finish != null;
    }

    /** Samples the next token from this step's logits, streams its text and decides whether the sequence ends. */
    void accept(float[] logits, long now) {
        if (abandoned(now)) {
            return;
        }
        long token = sampler.sample(logits, history);
        if (eos.contains(token)) {
            finish = FinishReason.STOP;
            return;
        }
        lastToken = token;
        generated++;
        history.addGenerated(token);
        if (generated == 1) {
            firstTokenNanos = now;
        }
        lastTokenNanos = now;
        emit(text.append(token));
        if (text.stopped()) {
            finish = FinishReason.STOP;
        } else if (generated >= budget) {
            finish = FinishReason.LENGTH;
        }
    }

    private void emit(String delta) {
        if (delta.isEmpty()) {
            return;
        }
        try {
            stream.onText(delta);
        } catch (RuntimeException e) {
            // A consumer that throws has gone away: stop generating for it.
            finish = FinishReason.CANCELLED;
        }
    }

    /** Flushes held-back text and completes the caller's future. */
    void complete() {
        if (finish != FinishReason.CANCELLED) {
            emit(text.finish());
        }
        done.complete(new GenerationResult(modelId, text.text(), finish, prompt.length, generated));
    }
}
