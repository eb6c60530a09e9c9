package dev.sextant.eval.load;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A closed-loop sweep: for each client count in turn, that many clients send back to back, first for
 * {@code warmUp} (not recorded), then for {@code durationPerStep} (requests started in it are recorded). Measures
 * the most a server sustains; its latency hides queueing that an open loop would show.
 */
public record ClosedLoopProfile(List<Integer> concurrencies, Duration durationPerStep, Duration warmUp,
                                Duration requestTimeout) {

    public ClosedLoopProfile {
        Objects.requireNonNull(concurrencies, "concurrencies");
        if (concurrencies.isEmpty()) {
            throw new IllegalArgumentException("a closed-loop profile needs at least one client count");
        }
        for (Integer clients : concurrencies) {
            if (clients == null || clients < 1) {
                throw new IllegalArgumentException("every client count must be >= 1, got " + clients);
            }
        }
        concurrencies = List.copyOf(concurrencies);
        LoadProfile.requirePositive(durationPerStep, "durationPerStep");
        Objects.requireNonNull(warmUp, "warmUp");
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("warmUp must not be negative, got " + warmUp);
        }
        LoadProfile.requirePositive(requestTimeout, "requestTimeout");
    }

    public static ClosedLoopProfile of(List<Integer> concurrencies, Duration durationPerStep) {
        return new ClosedLoopProfile(concurrencies, durationPerStep, Duration.ZERO, LoadProfile.DEFAULT_TIMEOUT);
    }

    public ClosedLoopProfile withWarmUp(Duration warmUp) {
        return new ClosedLoopProfile(concurrencies, durationPerStep, warmUp, requestTimeout);
    }

    public ClosedLoopProfile withRequestTimeout(Duration requestTimeout) {
        return new ClosedLoopProfile(concurrencies, durationPerStep, warmUp, requestTimeout);
    }
}
