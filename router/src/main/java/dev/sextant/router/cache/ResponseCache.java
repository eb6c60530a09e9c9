package dev.sextant.router.cache;

import dev.sextant.router.chat.Citation;
import java.util.List;
import java.util.Optional;

/**
 * Answers kept for reuse. The key covers everything the answer depends on, including the exact chunks retrieved
 * for the question, so re-ingesting a cited document changes the key and a stale answer is never served.
 */
public interface ResponseCache {

    Optional<CachedAnswer> lookup(CacheKey key);

    void store(CacheKey key, CachedAnswer answer);

    /**
     * @param tenant      owner of the answer
     * @param model       model that produced it
     * @param fingerprint hash of the normalised conversation, generation settings and retrieved chunk ids
     */
    record CacheKey(String tenant, String model, String fingerprint) {
    }

    record CachedAnswer(String text, String finishReason, int promptTokens, int completionTokens,
                        List<Citation> citations) {
        public CachedAnswer {
            citations = List.copyOf(citations);
        }
    }
}
