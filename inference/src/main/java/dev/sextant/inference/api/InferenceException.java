package dev.sextant.inference.api;

/** A generation that could not run; {@link #kind()} maps to an HTTP status. */
public class InferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The request itself is wrong (prompt too long, unknown model): 400/404. */
        INVALID_REQUEST,
        /** No room right now: 429 with Retry-After. */
        OVERLOADED,
        /** The engine failed: 500/503. */
        INTERNAL
    }

    private final Kind kind;

    public InferenceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public InferenceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
