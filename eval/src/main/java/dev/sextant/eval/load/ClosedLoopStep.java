package dev.sextant.eval.load;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client count of a closed loop: each client is a virtual thread that sends its next request as soon as the
 * previous one ended, until the step's time is up. Requests that start within the measured window are recorded
 * (their scheduled time is when the client was ready, so latency and service time nearly coincide).
 */
final class ClosedLoopStep extends StepRun {

    private volatile boolean stopped;

    ClosedLoopStep(StepSpec spec, ExchangeRunner runner, RequestSource source, AtomicLong sequence,
                   Runnable onScheduleFinished) {
        super(spec, runner, source, sequence, onScheduleFinished);
    }

    StepResult run(Duration warmUp, Duration duration) throws InterruptedException {
        long origin = System.nanoTime();
        long windowStart = origin + warmUp.toNanos();
        long end = windowStart + duration.toNanos();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < spec.concurrency(); c++) {
                clients.execute(() -> client(windowStart, end));
            }
            try {
                LoadGenerator.sleepUntil(end);
            } catch (InterruptedException e) {
                stopped = true;
                throw e;
            }
            onScheduleFinished.run();
        }
        return result(records.size());
    }

    private void client(long windowStart, long end) {
        while (!stopped && !failed()) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                return;
            }
            long seq = sequence.getAndIncrement();
            if (!send(seq, windowStart, now - windowStart, now - windowStart >= 0)) {
                return;
            }
        }
    }
}
