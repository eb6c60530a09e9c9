package dev.sextant.inference.api;

/** A generation that could not run; {@link #kind()} maps to an HTTP status. */
public class InferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The request itself is wrong (prompt too long, a bad parameter): 400. */
        INVALID_REQUEST,
        /** The request names a model this service does not serve: 404 {@code model_not_found}, as OpenAI answers. */
        MODEL_NOT_FOUND,
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
