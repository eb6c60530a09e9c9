package dev.sextant.router.chat;

/** Whether the documents cover a chat question, as the answerability gate decided before generation. */
public enum Coverage {
    /** No decision made: the gate is off for the tenant, retrieval was unavailable, or no retrieval at all. */
    UNCHECKED,
    COVERED,
    NOT_COVERED;

    /** The response's {@code answerable} flag; null (left out) when unchecked. */
    public Boolean answerable() {
        return this == UNCHECKED ? null : this == COVERED;
    }
}
