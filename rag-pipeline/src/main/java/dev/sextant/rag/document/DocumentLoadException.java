package dev.sextant.rag.document;

/** A file that cannot become a document; the message names the file and the reason. */
public class DocumentLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DocumentLoadException(String message) {
        super(message);
    }

    public DocumentLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
