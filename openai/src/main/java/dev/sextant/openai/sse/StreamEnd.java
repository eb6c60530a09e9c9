package dev.sextant.openai.sse;

import dev.sextant.openai.error.OpenAiError;

/**
 * How reading an OpenAI stream ended.
 *
 * @param how    what decided it
 * @param chunks data events delivered or inspected before it ({@code [DONE]} not counted)
 * @param error  the error event's body, for {@link How#ERROR}; else null
 * @param detail why a chunk was not JSON, for {@link How#MALFORMED}; else null
 */
public record StreamEnd(How how, int chunks, OpenAiError error, String detail) {

    public enum How {
        /** {@code data: [DONE]} arrived. */
        DONE,
        /** An error event: a data event with an {@code error} field, or an {@code event: error}. */
        ERROR,
        /** A data event that is not JSON. */
        MALFORMED,
        /** The body ended without {@code [DONE]}. */
        CUT_OFF,
        /** The listener asked to stop. */
        STOPPED
    }

    /** The stream completed: {@code [DONE]} came before any error. */
    public boolean done() {
        return how == How.DONE;
    }

    /** For messages: "error event: boom", "the stream ended without data: [DONE]". */
    public String describe() {
        return switch (how) {
            case DONE -> "data: [DONE] after " + chunks + " events";
            case ERROR -> "error event: " + error.message();
            case MALFORMED -> "malformed event " + chunks + ": " + detail;
            case CUT_OFF -> "the stream ended without data: [DONE]";
            case STOPPED -> "the reader stopped after event " + chunks;
        };
    }
}
