package dev.sextant.router.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.router.redis.RedisScripts.RedisUnavailableException;
import dev.sextant.router.redis.RedisScripts;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The cache shared by router replicas through Redis 7.0, which has no vector search. Entries, the exact layer and
 * the per-source index live in Redis; each router keeps the question vectors in a local {@link SemanticIndex},
 * kept in sync by tailing a Redis stream of additions and removals (replayed from the start when a router starts).
 * A candidate found locally is always fetched from Redis before use, so an entry removed or expired elsewhere is
 * never served. When Redis fails, the cache fails open: lookups miss, stores are skipped, requests are served.
 */
public final class RedisResponseCache implements ResponseCache, AutoCloseable {

    /** Cached answers as stored in Redis: this cache's own format, not the API's. */
    private static final ObjectMapper ENTRIES = new ObjectMapper();

    private static final Logger LOG = Logger.getLogger(RedisResponseCache.class);
    private static final String PREFIX = "{sextant}:cache:";
    private static final String LOG_STREAM = PREFIX + "log";

    private final RedisScripts redis;
    private final Duration ttl;
    private final SemanticIndex index = new SemanticIndex();
    private final CacheChangeLog changes;
    private volatile long lastFailureLog;

    public RedisResponseCache(RedisScripts redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
        this.changes = new CacheChangeLog(redis, LOG_STREAM, index, this::failOpen);
    }

    @Override
    public Optional<Hit> lookup(LookupRequest request) {
        try {
            Response id = redis.call("GET", exactKey(request.scope(), request.question()));
            if (id != null) {
                Optional<Stored> stored = fetch(id.toString());
                if (stored.isPresent()) {
                    return Optional.of(new Hit(id.toString(), stored.get().question(), stored.get().answer(), 1.0,
                            true));
                }
            }
            if (request.vector() == null) {
                return Optional.empty();
            }
            List<SemanticIndex.Candidate> candidates;
            synchronized (index) {
                candidates = index.search(request.scope().id(), request.vector(), request.minSimilarity(), 5);
            }
            for (var candidate : candidates) {
                Optional<Stored> stored = fetch(candidate.id());
                if (stored.isEmpty()) {
                    synchronized (index) {
                        index.remove(candidate.id());
                    }
                } else if (QuestionGuard.interchangeable(request.question(), stored.get().question())) {
                    return Optional.of(new Hit(candidate.id(), stored.get().question(), stored.get().answer(),
                            candidate.similarity(), false));
                }
            }
            return Optional.empty();
        } catch (RedisUnavailableException e) {
            failOpen(e);
            return Optional.empty();
        }
    }

    @Override
    public void store(StoreRequest request) {
        String id = UUID.randomUUID().toString();
        String millis = Long.toString(ttl.toMillis());
        try {
            String entry = PREFIX + "e:" + id;
            redis.call("HSET", entry, "question", request.question(), "answer", json(request.answer()));
            redis.call("PEXPIRE", entry, millis);
            redis.call("SET", exactKey(request.scope(), request.question()), id, "PX", millis);
            for (String source : request.answer().sourceHashes().keySet()) {
                String key = sourceKey(request.scope().tenant(), source);
                redis.call("SADD", key, id);
                redis.call("PEXPIRE", key, millis);
            }
            if (request.vector() != null) {
                changes.added(request.scope().id(), id, request.vector());
                synchronized (index) {
                    index.add(request.scope().id(), id, request.vector());
                }
            }
        } catch (RedisUnavailableException e) {
            failOpen(e);
        }
    }

    @Override
    public InvalidateResult invalidate(InvalidateRequest request) {
        try {
            List<String> ids = new ArrayList<>();
            if (request.all()) {
                String cursor = "0";
                do {
                    Response page = redis.call("SCAN", cursor, "MATCH", PREFIX + "*", "COUNT", "1000");
                    cursor = page.get(0).toString();
                    List<String> keys = new ArrayList<>();
                    page.get(1).forEach(k -> keys.add(k.toString()));
                    keys.stream().filter(k -> k.startsWith(PREFIX + "e:")).forEach(k -> ids.add(k.substring(
                            (PREFIX + "e:").length())));
                    keys.removeIf(k -> k.equals(LOG_STREAM));
                    if (!keys.isEmpty()) {
                        redis.call("DEL", keys.toArray(String[]::new));
                    }
                } while (!cursor.equals("0"));
                changes.flushed();
                synchronized (index) {
                    index.clear();
                }
                return new InvalidateResult(ids.size());
            }
            for (String source : request.sources()) {
                String key = sourceKey(request.tenant(), source);
                redis.call("SMEMBERS", key).forEach(id -> ids.add(id.toString()));
                redis.call("DEL", key);
            }
            int removed = 0;
            for (String id : ids) {
                removed += redis.call("DEL", PREFIX + "e:" + id).toInteger();
                changes.removed(id);
                synchronized (index) {
                    index.remove(id);
                }
            }
            return new InvalidateResult(removed);
        } catch (RedisUnavailableException e) {
            failOpen(e);
            return new InvalidateResult(0);
        }
    }

    /** Entries whose vectors this router holds, for tests and metrics. */
    public int indexedEntries() {
        synchronized (index) {
            return index.size();
        }
    }

    private record Stored(String question, CachedAnswer answer) {
    }

    private Optional<Stored> fetch(String id) {
        Response fields = redis.call("HMGET", PREFIX + "e:" + id, "question", "answer");
        if (fields.get(0) == null || fields.get(1) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stored(fields.get(0).toString(),
                    ENTRIES.readValue(fields.get(1).toString(), CachedAnswer.class)));
        } catch (JsonProcessingException e) {
            LOG.warnf("dropping unreadable cache entry %s: %s", id, e.getOriginalMessage());
            return Optional.empty();
        }
    }

    private void failOpen(RedisUnavailableException e) {
        long now = System.nanoTime();
        if (now - lastFailureLog > Duration.ofSeconds(30).toNanos()) {
            lastFailureLog = now;
            LOG.warnf("response cache: Redis unavailable (%s); serving without the cache", e.getMessage());
        }
    }

    private static String exactKey(Scope scope, String question) {
        return PREFIX + "x:" + scope.id() + ":" + ResponseCache.sha256(ResponseCache.normalize(question));
    }

    private static String sourceKey(String tenant, String source) {
        return PREFIX + "s:" + ResponseCache.sha256(tenant + "\u0000" + source);
    }

    private static String json(CachedAnswer answer) {
        try {
            return ENTRIES.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        changes.close();
    }
}
