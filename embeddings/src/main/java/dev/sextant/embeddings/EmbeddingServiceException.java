package dev.sextant.embeddings;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A remote embedding service did not give usable vectors. {@link #kind()} tells the caller what to do about it:
 * retry elsewhere or later, back off, or give up.
 */
public final class EmbeddingServiceException extends RuntimeException {

    public enum Kind {
        /** Connection refused or reset, timeout, 5xx, or a broken response body: safe to retry. */
        UNAVAILABLE,
        /** 429: the service sheds load; retry after {@link #retryAfterSeconds()} when it says. */
        OVERLOADED,
        /** Any other 4xx (bad input, bad key, unknown model): the same request fails again, do not retry. */
        REJECTED,
        /**
         * The service answered, but not with the configured model: another name, another vector length, or data that
         * does not match the inputs. A configuration error, not the caller's request: do not retry.
         */
        INCOMPATIBLE
    }

    private final Kind kind;
    private final int status;
    private final long retryAfterSeconds;

    private EmbeddingServiceException(Kind kind, String message, int status, long retryAfterSeconds,
                                      Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static EmbeddingServiceException unavailable(String message, int status, Throwable cause) {
        return new EmbeddingServiceException(Kind.UNAVAILABLE, message, status, -1, cause);
    }

    /** @param retryAfterSeconds the service's Retry-After, or negative when it gave none */
    public static EmbeddingServiceException overloaded(String message, long retryAfterSeconds) {
        return new EmbeddingServiceException(Kind.OVERLOADED, message, 429, retryAfterSeconds, null);
    }

    public static EmbeddingServiceException rejected(String message, int status) {
        return new EmbeddingServiceException(Kind.REJECTED, message, status, -1, null);
    }

    public static EmbeddingServiceException incompatible(String message) {
        return new EmbeddingServiceException(Kind.INCOMPATIBLE, message, 200, -1, null);
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the same request may succeed later (or on another replica). */
    public boolean retryable() {
        return kind == Kind.UNAVAILABLE || kind == Kind.OVERLOADED;
    }

    /** The HTTP status the service answered with; 0 when there was no response (connection failed, timeout). */
    public int status() {
        return status;
    }

    /** Seconds the service asked to wait before retrying ({@link Kind#OVERLOADED} only), when it said. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
