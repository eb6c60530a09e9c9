package dev.sextant.router.chat;

/** Retrieval failed and {@code sextant.retrieval.on-failure=fail}: the question is not answered without context. */
public final class RetrievalUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RetrievalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
