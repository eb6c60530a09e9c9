package dev.sextant.router.budget;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Money spent per key and per tenant, per day and month, with the worst case reserved before any work starts.
 *
 * <p>LiteLLM checks budgets after the fact, so concurrent requests overspend. Here admission reserves the worst case
 * (prompt tokens plus max_tokens at the model's prices) in every window it touches, atomically: a request that does
 * not fit is refused before any work, and once admitted its cost is already counted. {@link #settle} replaces the
 * reservation with the actual cost, on success, failure and cancellation alike. Amounts are integer nano-dollars.
 */
public interface BudgetLedger {

    ReserveResult reserve(ReserveRequest request);

    /** Replaces a reservation with the actual cost; a reservation that expired meanwhile still records the cost. */
    void settle(SettleRequest request);

    UsageResult usage(UsageRequest request);

    enum Period { DAY, MONTH }

    /** A ceiling on what {@code scope} (e.g. {@code key:ab12cd}, {@code tenant:acme}) may spend per period. */
    record BudgetLimit(String scope, Period period, long limitNanos) {
        public BudgetLimit {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(period, "period");
            if (limitNanos < 0) {
                throw new IllegalArgumentException("limitNanos must be >= 0, got " + limitNanos);
            }
        }
    }

    /**
     * @param hold how long the reservation stands if never settled (a crashed router): then it is released
     */
    record ReserveRequest(String reservationId, List<BudgetLimit> limits, long amountNanos, Duration hold) {
        public ReserveRequest {
            Objects.requireNonNull(reservationId, "reservationId");
            limits = List.copyOf(limits);
            if (amountNanos < 0) {
                throw new IllegalArgumentException("amountNanos must be >= 0, got " + amountNanos);
            }
        }
    }

    /**
     * @param exceeded  the first limit the reservation did not fit, when refused
     * @param remaining what {@code exceeded} had left (refused), or the smallest amount left over all limits
     */
    record ReserveResult(boolean admitted, BudgetLimit exceeded, long remainingNanos, Reservation reservation) {
        static ReserveResult refused(BudgetLimit limit, long remaining) {
            return new ReserveResult(false, limit, remaining, null);
        }
    }

    /** What settle needs; windows are fixed at reservation time, so a request across midnight settles where it began. */
    record Reservation(String id, List<String> windows, long amountNanos) {
    }

    record SettleRequest(Reservation reservation, long actualNanos) {
        public SettleRequest {
            Objects.requireNonNull(reservation, "reservation");
            if (actualNanos < 0) {
                throw new IllegalArgumentException("actualNanos must be >= 0, got " + actualNanos);
            }
        }
    }

    record UsageRequest(String scope, Period period) {
    }

    /** Spent and currently reserved in the current window of one scope. */
    record UsageResult(long spentNanos, long reservedNanos) {
    }
}
