package dev.sextant.eval.load;

/**
 * Supplies the request to send for each scheduled slot, so requests can differ (another question each time).
 * Called on the request's own virtual thread, concurrently, once per request that is actually sent (not for
 * dropped ones), so implementations must be thread-safe; deriving the request from {@code sequence} is.
 */
@FunctionalInterface
public interface RequestSource {

    /**
     * @param sequence 0-based number of the request within one run (one {@code run...} call), warm-up requests
     *                 and every step included, in scheduling order
     */
    LoadRequest request(long sequence);

    static RequestSource always(LoadRequest request) {
        return sequence -> request;
    }
}
