package dev.sextant.router.cache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Exact-key cache in this JVM: least recently used entries go first, entries expire after a TTL. */
public final class InMemoryResponseCache implements ResponseCache {

    private record Slot(CachedAnswer answer, long expiresAtNanos) {
    }

    private final Map<CacheKey, Slot> entries;
    private final long ttlNanos;

    public InMemoryResponseCache(int maxEntries, Duration ttl) {
        this.ttlNanos = ttl.toNanos();
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<CacheKey, Slot> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public synchronized Optional<CachedAnswer> lookup(CacheKey key) {
        Slot entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - entry.expiresAtNanos() > 0) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.answer());
    }

    @Override
    public synchronized void store(CacheKey key, CachedAnswer answer) {
        entries.put(key, new Slot(answer, System.nanoTime() + ttlNanos));
    }
}
