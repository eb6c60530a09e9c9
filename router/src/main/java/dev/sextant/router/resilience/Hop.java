package dev.sextant.router.resilience;

/** The remote calls a request makes, each with its own timeout, retries, circuit breaker and bulkhead. */
public enum Hop {
    /** Embedding a question (cache lookup, dense retrieval); idempotent. */
    EMBEDDINGS("embeddings"),
    /** Searching the chunk store (embedding the query included); idempotent. */
    RETRIEVAL("retrieval"),
    /** Generating the answer; not retried (the replica pool fails over before the first token). */
    INFERENCE("inference");

    private final String id;

    Hop(String id) {
        this.id = id;
    }

    /** Name in configuration keys, metrics and errors. */
    public String id() {
        return id;
    }
}
