package dev.sextant.router.ratelimit;

import java.util.List;
import java.util.Objects;

/**
 * Per-minute token buckets (requests/min, tokens/min per key), taken all or none. Tokens are charged at admission
 * with the worst case (prompt + max_tokens) and the unused part is refunded when the request ends.
 */
public interface RateLimiter {

    Decision acquire(AcquireRequest request);

    void refund(RefundRequest request);

    /** One bucket: {@code perMinute} capacity refilled evenly over a minute; {@code cost} taken now. */
    record Bucket(String name, long perMinute, long cost) {
        public Bucket {
            Objects.requireNonNull(name, "name");
            if (perMinute < 1 || cost < 0) {
                throw new IllegalArgumentException("bucket " + name + ": perMinute must be >= 1 and cost >= 0");
            }
        }
    }

    record AcquireRequest(List<Bucket> buckets) {
        public AcquireRequest {
            buckets = List.copyOf(buckets);
        }
    }

    /**
     * @param remaining        tokens left per bucket after this request (allowed), in request order
     * @param refused          the bucket that was short (refused), else null
     * @param retryAfterMillis when {@code refused} will have the cost again; -1 when the cost exceeds its capacity
     */
    record Decision(boolean allowed, List<Long> remaining, Bucket refused, long retryAfterMillis) {
    }

    record RefundRequest(Bucket bucket, long tokens) {
    }
}
