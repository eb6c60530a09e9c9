package dev.sextant.router.resilience;

/**
 * A hop refused or gave up on a call: its circuit breaker is open, its bulkhead is full, or the call timed out.
 * The router answers 503 (504 for a timeout) naming the hop.
 */
public final class HopFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        CIRCUIT_OPEN("circuit_open"), BULKHEAD_FULL("bulkhead_full"), TIMEOUT("timeout");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Hop hop;
    private final Reason reason;

    public HopFailureException(Hop hop, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.hop = hop;
        this.reason = reason;
    }

    public Hop hop() {
        return hop;
    }

    public Reason reason() {
        return reason;
    }
}
