package dev.sextant.router.auth;

/** The caller could not be identified ({@link Reason#UNAUTHENTICATED}) or may not use an admin endpoint. */
public final class AuthenticationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason { UNAUTHENTICATED, ADMIN_REQUIRED }

    private final Reason reason;

    public AuthenticationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
