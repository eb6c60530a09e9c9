package dev.sextant.eval.suite;

/** A suite file that cannot be used; the message names the file, the line and the field. */
public final class SuiteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SuiteException(String message) {
        super(message);
    }

    public SuiteException(String message, Throwable cause) {
        super(message, cause);
    }
}
