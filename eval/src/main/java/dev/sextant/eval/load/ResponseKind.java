package dev.sextant.eval.load;

/** How a response body is read, and what counts as its first token. */
public enum ResponseKind {
    /** Read the body to its end; only the total time is recorded. */
    PLAIN,
    /**
     * Server-sent events of an OpenAI {@code stream: true} completion: the first token is the first {@code data:}
     * event with a choice that adds text ({@code delta.content} of a chat chunk, {@code text} of a
     * {@code /v1/completions} chunk; the usual role-only first chunk does not count), and the stream must end with
     * {@code data: [DONE]} before any error event.
     */
    SSE,
    /** As {@link #SSE}, but the first {@code data:} event of any content marks the first token. */
    SSE_FIRST_EVENT;

    public boolean streaming() {
        return this != PLAIN;
    }
}
