package dev.sextant.router.balance;

import dev.sextant.inference.client.HttpInferenceClient;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One remote inference process as the pool sees it: requests in flight, and whether it may receive new ones. A
 * replica is ejected after {@code ejectAfter} consecutive failures (probes or requests; a refused connection
 * ejects at once) and returns after {@code returnAfter} consecutive passing probes.
 */
final class Replica {

    private final URI base;
    private final HttpInferenceClient client;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final int ejectAfter;
    private final int returnAfter;
    private boolean ejected;
    private int failures;
    private int passes;
    private long ejections;

    Replica(URI base, HttpInferenceClient client, int ejectAfter, int returnAfter) {
        this.base = base;
        this.client = client;
        this.ejectAfter = ejectAfter;
        this.returnAfter = returnAfter;
    }

    URI base() {
        return base;
    }

    HttpInferenceClient client() {
        return client;
    }

    int outstanding() {
        return outstanding.get();
    }

    void begin() {
        outstanding.incrementAndGet();
    }

    void end() {
        outstanding.decrementAndGet();
    }

    synchronized boolean healthy() {
        return !ejected;
    }

    synchronized long ejections() {
        return ejections;
    }

    /** A request completed (whatever the model said): the replica works. */
    synchronized void succeeded() {
        failures = 0;
    }

    /** @return whether this failure ejected the replica */
    synchronized boolean failed(boolean certain) {
        passes = 0;
        failures++;
        if (!ejected && (certain || failures >= ejectAfter)) {
            ejected = true;
            ejections++;
            return true;
        }
        return false;
    }

    /** @return whether this probe brought an ejected replica back */
    synchronized boolean probePassed() {
        failures = 0;
        if (ejected && ++passes >= returnAfter) {
            ejected = false;
            passes = 0;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
