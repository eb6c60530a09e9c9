package dev.sextant.inference.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Decides which waiting sequences join the running batch at the next step (continuous batching).
 *
 * <p>Policy: first come, first served. Each step has a budget of {@code maxTokensPerStep} tokens; every running
 * sequence spends one on its decode, and waiting prompts are admitted in arrival order while their prompt tokens fit
 * in what is left and a cache slot is free. The head of the queue is never overtaken, so a long prompt cannot be
 * starved by short ones; a prompt longer than the whole budget is admitted as the only prefill of its step. Thread-safe: request threads enqueue, the engine thread plans.
 *
 * @param <S> the engine's sequence type
 */
public final class Scheduler<S extends Scheduler.Schedulable> {

    /** What the scheduler needs to know about a sequence. */
    public interface Schedulable {
        int promptTokens();
    }

    private final ArrayDeque<S> waiting = new ArrayDeque<>();
    private final int maxWaiting;
    private final int maxTokensPerStep;

    public Scheduler(int maxWaiting, int maxTokensPerStep) {
        if (maxTokensPerStep < 1) {
            throw new IllegalArgumentException("maxTokensPerStep must be positive, got " + maxTokensPerStep);
        }
        this.maxWaiting = maxWaiting;
        this.maxTokensPerStep = maxTokensPerStep;
    }

    /** Queues a sequence; {@code false} when the waiting queue is full (the caller answers 429). */
    public synchronized boolean offer(S sequence) {
        if (waiting.size() >= maxWaiting) {
            return false;
        }
        waiting.addLast(sequence);
        return true;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    /** Removes and returns waiting sequences that match (cancelled or timed out before they ran). */
    public synchronized List<S> removeWaitingIf(Predicate<S> condition) {
        List<S> removed = new ArrayList<>();
        for (Iterator<S> it = waiting.iterator(); it.hasNext(); ) {
            S s = it.next();
            if (condition.test(s)) {
                it.remove();
                removed.add(s);
            }
        }
        return removed;
    }

    /**
     * The sequences to prefill at this step, removed from the queue in arrival order.
     *
     * @param freeSlots cache slots available
     * @param running   sequences that will decode in this step
     */
    public synchronized List<S> admit(int freeSlots, int running) {
        List<S> admitted = new ArrayList<>();
        int budget = maxTokensPerStep - running;
        while (admitted.size() < freeSlots && !waiting.isEmpty()) {
            int cost = waiting.peekFirst().promptTokens();
            boolean fits = cost <= budget;
            boolean oversizedAndAlone = cost > maxTokensPerStep && admitted.isEmpty();
            if (!fits && !oversizedAndAlone) {
                break;
            }
            admitted.add(waiting.pollFirst());
            budget -= cost;
        }
        return admitted;
    }

    public synchronized List<S> drain() {
        List<S> all = new ArrayList<>(waiting);
        waiting.clear();
        return all;
    }
}
