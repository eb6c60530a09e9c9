package dev.sextant.eval.load;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An open-loop sweep: each rate in turn, first for {@code warmUp} (sent, not recorded), then for
 * {@code durationPerRate} (recorded). Request i of a step is due at start + i / rate, so a step sends
 * {@code ceil(rate x duration)} measured requests (50/s for 2 s: 100).
 *
 * @param rates           requests per second, in the order they run
 * @param maxInFlight     requests allowed in flight at once; a request due while the cap is reached is dropped
 *                        (counted, never queued), so an overloaded server cannot turn the open loop into a closed
 *                        one. {@link #NO_CAP} for none
 * @param requestTimeout  limit from the actual send to the complete answer (the end of a stream, not its first
 *                        byte)
 */
public record LoadProfile(List<Double> rates, Duration durationPerRate, Duration warmUp, int maxInFlight,
                          Duration requestTimeout) {

    public static final int NO_CAP = 0;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public LoadProfile {
        Objects.requireNonNull(rates, "rates");
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("a load profile needs at least one rate");
        }
        for (Double rate : rates) {
            if (rate == null || !(rate > 0) || rate.isInfinite()) {
                throw new IllegalArgumentException("every rate must be a finite number of requests per second > 0, got "
                        + rate);
            }
        }
        rates = List.copyOf(rates);
        requirePositive(durationPerRate, "durationPerRate");
        Objects.requireNonNull(warmUp, "warmUp");
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("warmUp must not be negative, got " + warmUp);
        }
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, or NO_CAP (0) for none, got " + maxInFlight);
        }
        requirePositive(requestTimeout, "requestTimeout");
    }

    /** The given rates for {@code durationPerRate} each: no warm-up, no in-flight cap, 30 s timeout. */
    public static LoadProfile of(List<Double> rates, Duration durationPerRate) {
        return new LoadProfile(rates, durationPerRate, Duration.ZERO, NO_CAP, DEFAULT_TIMEOUT);
    }

    public LoadProfile withWarmUp(Duration warmUp) {
        return new LoadProfile(rates, durationPerRate, warmUp, maxInFlight, requestTimeout);
    }

    public LoadProfile withMaxInFlight(int maxInFlight) {
        return new LoadProfile(rates, durationPerRate, warmUp, maxInFlight, requestTimeout);
    }

    public LoadProfile withRequestTimeout(Duration requestTimeout) {
        return new LoadProfile(rates, durationPerRate, warmUp, maxInFlight, requestTimeout);
    }

    /**
     * Requests due within {@code duration} at {@code rate}: the i >= 0 with i / rate < duration, i.e.
     * {@code ceil(rate x seconds)}, at least 1 for any positive duration (request 0 is
     * due at once). Decimal arithmetic, so 0.3/s for 10 s is 3 and not 4.
     */
    public static long requestCount(double rate, Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9));
        return BigDecimal.valueOf(rate).multiply(seconds).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + duration);
        }
    }
}
