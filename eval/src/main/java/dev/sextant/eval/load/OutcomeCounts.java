package dev.sextant.eval.load;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/** Measured requests by {@link Outcome}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OutcomeCounts(long ok, long rateLimited, long clientError, long serverError, long otherStatus,
                            long streamError, long ioError, long timeout, long dropped) {

    public static final OutcomeCounts ZERO = new OutcomeCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static OutcomeCounts of(Collection<RequestRecord> records) {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        for (RequestRecord r : records) {
            counts.merge(r.outcome(), 1L, Long::sum);
        }
        return new OutcomeCounts(get(counts, Outcome.OK), get(counts, Outcome.RATE_LIMITED),
                get(counts, Outcome.CLIENT_ERROR), get(counts, Outcome.SERVER_ERROR), get(counts, Outcome.OTHER_STATUS),
                get(counts, Outcome.STREAM_ERROR), get(counts, Outcome.IO_ERROR), get(counts, Outcome.TIMEOUT),
                get(counts, Outcome.DROPPED));
    }

    private static long get(Map<Outcome, Long> counts, Outcome outcome) {
        return counts.getOrDefault(outcome, 0L);
    }

    public long count(Outcome outcome) {
        return switch (outcome) {
            case OK -> ok;
            case RATE_LIMITED -> rateLimited;
            case CLIENT_ERROR -> clientError;
            case SERVER_ERROR -> serverError;
            case OTHER_STATUS -> otherStatus;
            case STREAM_ERROR -> streamError;
            case IO_ERROR -> ioError;
            case TIMEOUT -> timeout;
            case DROPPED -> dropped;
        };
    }

    /** Requests sent that did not end {@link Outcome#OK}. */
    public long failures() {
        return rateLimited + clientError + serverError + otherStatus + streamError + ioError + timeout;
    }

    public OutcomeCounts plus(OutcomeCounts other) {
        return new OutcomeCounts(ok + other.ok, rateLimited + other.rateLimited, clientError + other.clientError,
                serverError + other.serverError, otherStatus + other.otherStatus, streamError + other.streamError,
                ioError + other.ioError, timeout + other.timeout, dropped + other.dropped);
    }
}
