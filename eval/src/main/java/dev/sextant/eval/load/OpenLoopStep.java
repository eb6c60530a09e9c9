package dev.sextant.eval.load;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rate of an open loop. The calling thread keeps the schedule (request i due at start + i / rate) and starts
 * a virtual thread per request, so a slow answer never delays the next send. If the generator itself falls
 * behind, requests go out late but keep their scheduled time, which their latency is measured from.
 */
final class OpenLoopStep extends StepRun {

    OpenLoopStep(StepSpec spec, ExchangeRunner runner, RequestSource source, AtomicLong sequence,
                 Runnable onScheduleFinished) {
        super(spec, runner, source, sequence, onScheduleFinished);
    }

    StepResult run(long warmUpRequests, long measuredRequests) throws InterruptedException {
        double rate = spec.targetRate();
        Semaphore slots = spec.maxInFlight() == LoadProfile.NO_CAP ? null : new Semaphore(spec.maxInFlight());
        long origin = System.nanoTime();
        long windowStart = origin + dueNanos(warmUpRequests, rate);
        // close() waits for every request thread, so the step ends when its last request has
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < warmUpRequests + measuredRequests && !failed(); i++) {
                long due = origin + dueNanos(i, rate);
                LoadGenerator.sleepUntil(due);
                long seq = sequence.getAndIncrement();
                boolean measured = i >= warmUpRequests;
                long scheduled = due - windowStart;
                if (slots != null && !slots.tryAcquire()) {
                    if (measured) {
                        records.add(RequestRecord.dropped(seq, scheduled));
                    }
                    continue;
                }
                threads.execute(() -> {
                    try {
                        send(seq, windowStart, scheduled, measured);
                    } finally {
                        if (slots != null) {
                            slots.release();
                        }
                    }
                });
            }
            onScheduleFinished.run();
        }
        return result(measuredRequests);
    }

    /** Offset of request i from the step start: i / rate seconds. */
    static long dueNanos(long i, double rate) {
        return Math.round(i * 1e9 / rate);
    }
}
