package dev.sextant.router.cache;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Both cache layers in this JVM ({@code ./sextant serve} without Redis): LRU with a TTL. */
public final class InProcessResponseCache implements ResponseCache {

    private record Entry(Scope scope, String question, String exactKey, CachedAnswer answer, long expiresAtNanos) {
    }

    private final int maxEntries;
    private final long ttlNanos;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, String> exact = new HashMap<>();
    private final Map<String, Set<String>> bySource = new HashMap<>();
    private final SemanticIndex index = new SemanticIndex();

    public InProcessResponseCache(int maxEntries, Duration ttl) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public synchronized Optional<Hit> lookup(LookupRequest request) {
        String exactKey = exactKey(request.scope(), request.question());
        String id = exact.get(exactKey);
        Entry entry = id == null ? null : live(id);
        if (entry != null) {
            return Optional.of(new Hit(id, entry.question(), entry.answer(), 1.0, true));
        }
        if (request.vector() == null) {
            return Optional.empty();
        }
        for (var candidate : index.search(request.scope().id(), request.vector(), request.minSimilarity(), 5)) {
            Entry e = live(candidate.id());
            if (e != null && QuestionGuard.interchangeable(request.question(), e.question())) {
                return Optional.of(new Hit(candidate.id(), e.question(), e.answer(), candidate.similarity(), false));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void store(StoreRequest request) {
        String exactKey = exactKey(request.scope(), request.question());
        String previous = exact.get(exactKey);
        if (previous != null) {
            remove(previous);
        }
        String id = UUID.randomUUID().toString();
        entries.put(id, new Entry(request.scope(), request.question(), exactKey, request.answer(),
                System.nanoTime() + ttlNanos));
        exact.put(exactKey, id);
        if (request.vector() != null) {
            index.add(request.scope().id(), id, request.vector());
        }
        for (String source : request.answer().sourceHashes().keySet()) {
            bySource.computeIfAbsent(sourceKey(request.scope().tenant(), source), k -> new HashSet<>()).add(id);
        }
        while (entries.size() > maxEntries) {
            remove(entries.keySet().iterator().next());
        }
    }

    @Override
    public synchronized InvalidateResult invalidate(InvalidateRequest request) {
        if (request.all()) {
            int removed = entries.size();
            entries.clear();
            exact.clear();
            bySource.clear();
            index.clear();
            return new InvalidateResult(removed);
        }
        int removed = 0;
        for (String source : request.sources()) {
            Set<String> ids = bySource.remove(sourceKey(request.tenant(), source));
            if (ids != null) {
                for (String id : ids) {
                    removed += remove(id) ? 1 : 0;
                }
            }
        }
        return new InvalidateResult(removed);
    }

    public synchronized int size() {
        return entries.size();
    }

    private Entry live(String id) {
        Entry entry = entries.get(id);
        if (entry != null && System.nanoTime() - entry.expiresAtNanos() > 0) {
            remove(id);
            return null;
        }
        return entry;
    }

    private boolean remove(String id) {
        Entry entry = entries.remove(id);
        if (entry == null) {
            return false;
        }
        exact.remove(entry.exactKey(), id);
        index.remove(id);
        for (String source : entry.answer().sourceHashes().keySet()) {
            Set<String> ids = bySource.get(sourceKey(entry.scope().tenant(), source));
            if (ids != null) {
                ids.remove(id);
            }
        }
        return true;
    }

    private static String exactKey(Scope scope, String question) {
        return scope.id() + ":" + ResponseCache.normalize(question);
    }

    private static String sourceKey(String tenant, String source) {
        return tenant + "\u0000" + source;
    }
}
