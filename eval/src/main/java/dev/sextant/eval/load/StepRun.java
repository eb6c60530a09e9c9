package dev.sextant.eval.load;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What open- and closed-loop steps share: sending one request, collecting measured records, failing fast. */
abstract class StepRun {

    final StepSpec spec;
    private final ExchangeRunner runner;
    private final RequestSource source;
    final AtomicLong sequence;
    final Runnable onScheduleFinished;
    final Queue<RequestRecord> records = new ConcurrentLinkedQueue<>();
    private final AtomicReference<IllegalStateException> failure = new AtomicReference<>();

    StepRun(StepSpec spec, ExchangeRunner runner, RequestSource source, AtomicLong sequence,
            Runnable onScheduleFinished) {
        this.spec = spec;
        this.runner = runner;
        this.source = source;
        this.sequence = sequence;
        this.onScheduleFinished = onScheduleFinished;
    }

    /**
     * Sends request {@code sequence} on the calling (virtual) thread and keeps its record if {@code measured}.
     *
     * @return false if the request could not be sent (the step stops)
     */
    final boolean send(long sequence, long windowStartNanos, long scheduledNanos, boolean measured) {
        try {
            RequestRecord record = runner.run(sequence, source.request(sequence), windowStartNanos, scheduledNanos);
            if (measured) {
                records.add(record);
            }
            return true;
        } catch (RuntimeException e) {
            // A request that cannot even be built is a bug in the benchmark, not an outcome to count.
            failure.compareAndSet(null, new IllegalStateException("request " + sequence + " of " + spec.label()
                    + " could not be sent: " + e.getMessage(), e));
            return false;
        }
    }

    final boolean failed() {
        return failure.get() != null;
    }

    /** The step's figures once every request has ended, or the first failure to send. */
    final StepResult result(long scheduled) {
        IllegalStateException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
        return StepResult.of(spec, scheduled, List.copyOf(records));
    }
}
