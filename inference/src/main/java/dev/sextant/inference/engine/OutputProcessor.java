package dev.sextant.inference.engine;

import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.TokenStream;
import java.util.concurrent.TimeUnit;

/**
 * The request side of a sequence, run by the thread that called {@code generate}: turns the token ids the engine
 * pushes into text (stop strings, held-back partial characters), streams it, watches the stream for cancellation,
 * and builds the result. The engine thread never runs client code or the detokenizer; a slow or blocked stream
 * only delays its own request.
 *
 * <p>When a stop string completes or the client goes away, the engine learns it through
 * {@link Sequence#requestEnd} and may have sampled a token or two more by then: those are never read, so the text
 * and the token counts are those of a sequence that stopped exactly there.
 */
final class OutputProcessor {

    /** How often a caller waiting for tokens (queued, or a slow step) asks its stream whether the client left. */
    private static final long CANCEL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Sequence sequence;
    private final TokenStream stream;
    private final TextAssembler text;
    private final EngineMetrics metrics;
    private final String modelId;

    OutputProcessor(Sequence sequence, TokenStream stream, TextAssembler text, EngineMetrics metrics,
                    String modelId) {
        this.sequence = sequence;
        this.stream = stream;
        this.text = text;
        this.metrics = metrics;
        this.modelId = modelId;
    }

    /**
     * Streams the sequence until it ends and returns its result.
     *
     * @param giveUpNanos when to stop waiting for an engine that no longer answers ({@link System#nanoTime()})
     */
    GenerationResult collect(long giveUpNanos) {
        FinishReason reason = null;
        try {
            reason = awaitEnd(giveUpNanos);
        } finally {
            // Frees the slot at the engine's next step when this side ended first (stop string, cancellation, an
            // exception); when the engine ended it, the sequence is already gone and this changes nothing.
            sequence.requestEnd(reason == null ? FinishReason.CANCELLED : reason);
        }
        if (reason != FinishReason.CANCELLED && !emit(text.finish())) {
            reason = FinishReason.CANCELLED;
        }
        metrics.finished(reason.wireName());
        return new GenerationResult(modelId, text.text(), reason, sequence.prompt.length, text.tokenCount());
    }

    private FinishReason awaitEnd(long giveUpNanos) {
        TokenQueue queue = sequence.tokens;
        while (true) {
            Throwable failure = queue.failure();
            if (failure != null) {
                throw new InferenceException(InferenceException.Kind.INTERNAL, "generation failed: "
                        + failure.getMessage(), failure);
            }
            FinishReason engineEnd = queue.end();
            if (text.tokenCount() < queue.published()) {
                // Asked before every token, as the engine did before sampling each one.
                if (cancelled()) {
                    return FinishReason.CANCELLED;
                }
                FinishReason end = acceptNext(queue.get(text.tokenCount()));
                if (end != null) {
                    return end;
                }
            } else if (engineEnd != null) {
                return engineEnd;
            } else if (cancelled()) {
                return FinishReason.CANCELLED;
            } else {
                awaitTokens(queue, giveUpNanos);
            }
        }
    }

    /** Detokenizes and streams one token; the finish reason if the output ends with it. */
    private FinishReason acceptNext(long token) {
        metrics.generated(1);
        if (!emit(text.append(token))) {
            return FinishReason.CANCELLED;
        }
        if (text.stopped()) {
            return FinishReason.STOP;
        }
        return text.tokenCount() >= sequence.budget ? FinishReason.LENGTH : null;
    }

    private void awaitTokens(TokenQueue queue, long giveUpNanos) {
        if (Thread.currentThread().isInterrupted()) {
            throw new InferenceException(InferenceException.Kind.INTERNAL, "interrupted while generating");
        }
        if (System.nanoTime() - giveUpNanos > 0) {
            throw new InferenceException(InferenceException.Kind.INTERNAL, "inference engine did not answer");
        }
        queue.awaitChange(CANCEL_POLL_NANOS);
    }

    private boolean cancelled() {
        try {
            return stream.isCancelled();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** {@code false} when the consumer threw: it has gone away, so generating for it stops. */
    private boolean emit(String delta) {
        if (delta.isEmpty()) {
            return true;
        }
        try {
            stream.onText(delta);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
