package dev.sextant.router.admission;

import java.util.Map;

/**
 * A request refused before any work: over a per-minute limit, over a budget, or limits that cannot be checked
 * (Redis down with {@code sextant.redis.fail-mode=closed}). {@link #headers} are the rate-limit headers the client
 * should see with the refusal ({@code retry-after}, {@code x-ratelimit-*}).
 */
public final class AdmissionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason { RATE_LIMITED, BUDGET_EXCEEDED, LIMITS_UNAVAILABLE }

    private final Reason reason;
    private final transient Map<String, String> headers;

    public AdmissionException(Reason reason, String message, Map<String, String> headers) {
        super(message);
        this.reason = reason;
        this.headers = Map.copyOf(headers);
    }

    public Reason reason() {
        return reason;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
