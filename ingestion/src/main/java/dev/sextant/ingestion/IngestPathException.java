package dev.sextant.ingestion;

/** A root path that does not exist or cannot be read; nothing was ingested. */
public class IngestPathException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IngestPathException(String message) {
        super(message);
    }
}
