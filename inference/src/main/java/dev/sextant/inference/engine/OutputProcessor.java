package dev.sextant.inference.engine;

import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.TokenLogprob;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.sampler.Logprobs;
import dev.sextant.inference.structured.TokenVocabulary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    /** Token bytes for log-probabilities; null when the request asked for none. */
    private final TokenVocabulary vocabulary;
    private final List<TokenLogprob> logprobs = new ArrayList<>();
    /** How many of {@link #logprobs} the stream has been given. */
    private int logprobsSent;

    OutputProcessor(Sequence sequence, TokenStream stream, TextAssembler text, EngineMetrics metrics,
                    String modelId) {
        this(sequence, stream, text, metrics, modelId, null);
    }

    OutputProcessor(Sequence sequence, TokenStream stream, TextAssembler text, EngineMetrics metrics,
                    String modelId, TokenVocabulary vocabulary) {
        this.sequence = sequence;
        this.stream = stream;
        this.text = text;
        this.metrics = metrics;
        this.modelId = modelId;
        this.vocabulary = vocabulary;
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
        if (reason != FinishReason.CANCELLED) {
            sendLogprobs();
        }
        metrics.finished(reason.wireName());
        return new GenerationResult(modelId, text.text(), reason, sequence.prompt.length, text.tokenCount(),
                logprobs);
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
        Logprobs.Sampled sampled = sequence.tokens.logprob(text.tokenCount());
        if (sampled != null && vocabulary != null) {
            logprobs.add(logprob(token, sampled));
        }
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

    private TokenLogprob logprob(long token, Logprobs.Sampled sampled) {
        List<TokenLogprob.Alternative> top = new ArrayList<>(sampled.topIds().length);
        for (int i = 0; i < sampled.topIds().length; i++) {
            byte[] b = bytes(sampled.topIds()[i]);
            top.add(new TokenLogprob.Alternative(new String(b, StandardCharsets.UTF_8), b, sampled.topLogprobs()[i]));
        }
        byte[] b = bytes(token);
        return new TokenLogprob(new String(b, StandardCharsets.UTF_8), b, sampled.logprob(), top);
    }

    private byte[] bytes(long id) {
        byte[] b = vocabulary.bytes((int) id);
        return b == null ? new byte[0] : b;
    }

    /** Gives the stream the log-probabilities it has not had yet, ahead of the text they are behind. */
    private void sendLogprobs() {
        if (logprobsSent < logprobs.size()) {
            List<TokenLogprob> batch = List.copyOf(logprobs.subList(logprobsSent, logprobs.size()));
            logprobsSent = logprobs.size();
            try {
                stream.onLogprobs(batch);
            } catch (RuntimeException e) {
                // The consumer left; onText tells generation so.
            }
        }
    }

    /** {@code false} when the consumer threw: it has gone away, so generating for it stops. */
    private boolean emit(String delta) {
        if (delta.isEmpty()) {
            return true;
        }
        sendLogprobs();
        try {
            stream.onText(delta);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
