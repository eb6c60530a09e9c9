package dev.sextant.inference.engine;

import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.sampler.Logprobs;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands one sequence's sampled token ids from the engine thread to the request thread that turns them into text.
 * Single producer, single consumer. The engine never waits here: the array holds the sequence's whole token
 * budget, so a slow consumer only falls behind and never holds up the other sequences of the batch.
 */
final class TokenQueue {

    private final long[] ids;
    /** Per token, its log-probabilities when the request asked for them; null otherwise. */
    private final Logprobs.Sampled[] logprobs;
    private final Thread consumer;
    // Volatile writes publish the ids written before them (the engine writes ids[n], then published = n + 1).
    private volatile int published;
    private volatile FinishReason end;
    private volatile Throwable failure;

    TokenQueue(int capacity, Thread consumer) {
        this(capacity, false, consumer);
    }

    TokenQueue(int capacity, boolean withLogprobs, Thread consumer) {
        this.ids = new long[capacity];
        this.logprobs = withLogprobs ? new Logprobs.Sampled[capacity] : null;
        this.consumer = consumer;
    }

    /** Engine thread: one more token, and wakes the consumer. */
    void push(long token) {
        push(token, null);
    }

    /** Engine thread: one more token with its log-probabilities (null when not asked for). */
    void push(long token, Logprobs.Sampled logprob) {
        int n = published;
        ids[n] = token;
        if (logprobs != null) {
            logprobs[n] = logprob;
        }
        published = n + 1;
        LockSupport.unpark(consumer);
    }

    /** Engine thread: no token follows; {@code reason} is why the engine ended the sequence. */
    void end(FinishReason reason) {
        end = reason;
        LockSupport.unpark(consumer);
    }

    /** Engine thread: the engine stopped (shut down or failed) before the sequence ended. */
    void fail(Throwable cause) {
        failure = cause;
        LockSupport.unpark(consumer);
    }

    /** Tokens pushed so far. Read {@link #end()} before this: once it is set, this count is final. */
    int published() {
        return published;
    }

    long get(int index) {
        return ids[index];
    }

    /** The log-probabilities of token {@code index}; null when the request did not ask for them. */
    Logprobs.Sampled logprob(int index) {
        return logprobs == null ? null : logprobs[index];
    }

    /** Why the engine ended the sequence, or {@code null} while it may still push tokens. */
    FinishReason end() {
        return end;
    }

    Throwable failure() {
        return failure;
    }

    /** Consumer thread: sleeps until the engine pushes or ends, or {@code nanos} pass (wakes early spuriously). */
    void awaitChange(long nanos) {
        LockSupport.parkNanos(this, nanos);
    }
}
