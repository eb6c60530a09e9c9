package dev.sextant.inference.api;

/** Why generation ended; {@link #wireName()} is the OpenAI {@code finish_reason}. */
public enum FinishReason {
    /** End-of-sequence token or a stop string. */
    STOP("stop"),
    /** {@code max_tokens} or the context length was reached. */
    LENGTH("length"),
    CANCELLED("cancelled"),
    TIMEOUT("timeout");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
