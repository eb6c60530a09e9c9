package dev.sextant.eval.load;

/**
 * What happened to one measured request. Times are nanoseconds from the start of the step's measured window;
 * {@code -1} marks a moment that did not happen (no send for a dropped request, no first token for a plain body
 * or a stream that failed before one).
 *
 * @param status          HTTP status, 0 if no response arrived
 * @param scheduledNanos  when the request was due (open loop: start + i / rate; closed loop: when the client was
 *                        ready to send)
 * @param sentNanos       when the request was handed to the HTTP client
 * @param firstTokenNanos when the first token event was read (see {@link ResponseKind})
 * @param endNanos        when the answer was complete ({@code [DONE]} or the end of a plain body), or when the
 *                        request failed
 */
public record RequestRecord(long sequence, Outcome outcome, int status, long scheduledNanos, long sentNanos,
                            long firstTokenNanos, long endNanos) {

    static RequestRecord dropped(long sequence, long scheduledNanos) {
        return new RequestRecord(sequence, Outcome.DROPPED, 0, scheduledNanos, -1, -1, -1);
    }

    public boolean sent() {
        return sentNanos >= 0;
    }

    public boolean hasFirstToken() {
        return firstTokenNanos >= 0;
    }

    /** End minus scheduled time: the latency a user arriving on schedule saw (corrects coordinated omission). */
    public long latencyNanos() {
        return endNanos - scheduledNanos;
    }

    /** End minus actual send time: what the server and network took, without the generator's own lag. */
    public long serviceNanos() {
        return endNanos - sentNanos;
    }

    public long ttftNanos() {
        return firstTokenNanos - scheduledNanos;
    }

    public long ttftFromSentNanos() {
        return firstTokenNanos - sentNanos;
    }
}
