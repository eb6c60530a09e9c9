package dev.sextant.openai;

/**
 * A body that does not follow the wire format, naming the field that is wrong. Servers answer it with a 400 whose
 * {@code param} is {@link #field()}; clients turn it into their own exception, and {@link #problem()} tells them
 * whose fault it likely was.
 */
public final class WireFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public enum Problem {
        /** Not what the format says: wrong types, missing fields, broken JSON or base64. */
        MALFORMED,
        /** Well-formed, but not an answer to the request it came back for (counts or indices that do not match). */
        INCONSISTENT
    }

    private final String field;
    private final Problem problem;

    private WireFormatException(Problem problem, String field, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.field = field;
    }

    public static WireFormatException malformed(String field, String message) {
        return new WireFormatException(Problem.MALFORMED, field, message, null);
    }

    public static WireFormatException malformed(String field, String message, Throwable cause) {
        return new WireFormatException(Problem.MALFORMED, field, message, cause);
    }

    public static WireFormatException inconsistent(String field, String message) {
        return new WireFormatException(Problem.INCONSISTENT, field, message, null);
    }

    /** The JSON field at fault ({@code input}, {@code data[2].embedding}); null when it is the body as a whole. */
    public String field() {
        return field;
    }

    public Problem problem() {
        return problem;
    }
}
