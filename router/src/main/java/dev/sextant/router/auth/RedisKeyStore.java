package dev.sextant.router.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sextant.router.redis.RedisScripts;
import dev.sextant.router.redis.RedisScripts.RedisUnavailableException;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keys in one Redis hash (field = SHA-256, value = JSON), with an id index; shared by all router replicas. A key
 * read from Redis is reused for {@link #FRESH_NANOS} (no Redis round trip per request; a change made on another
 * replica applies within that time) and, while Redis is unreachable, for up to {@link #STALE_NANOS}: callers known
 * before the outage keep working, unknown ones are refused.
 */
public final class RedisKeyStore implements KeyStore {

    private static final String KEYS = "{sextant}:keys";
    private static final String IDS = "{sextant}:key-ids";
    static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long STALE_NANOS = TimeUnit.MINUTES.toNanos(15);
    private static final int MAX_REMEMBERED = 100_000;

    private record Known(ApiKey key, long readAt) {
    }

    private final RedisScripts redis;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private volatile Known anyKey;

    public RedisKeyStore(RedisScripts redis) {
        this.redis = redis;
    }

    @Override
    public Optional<ApiKey> findByHash(String hash) {
        Known remembered = known.get(hash);
        long now = System.nanoTime();
        if (remembered != null && now - remembered.readAt() < FRESH_NANOS) {
            return Optional.of(remembered.key());
        }
        Optional<ApiKey> key;
        try {
            key = parse(redis.call("HGET", KEYS, hash));
        } catch (RedisUnavailableException e) {
            if (remembered != null && now - remembered.readAt() < STALE_NANOS) {
                return Optional.of(remembered.key());
            }
            throw e;
        }
        if (key.isPresent()) {
            if (known.size() >= MAX_REMEMBERED) {
                known.clear();
            }
            Known fresh = new Known(key.get(), now);
            known.put(hash, fresh);
            anyKey = fresh;
        } else {
            known.remove(hash);
        }
        return key;
    }

    @Override
    public Optional<ApiKey> findById(String id) {
        Response hash = redis.call("HGET", IDS, id);
        return hash == null ? Optional.empty() : findByHash(hash.toString());
    }

    @Override
    public void add(ApiKey key) {
        if (redis.call("HSETNX", KEYS, key.hash(), json(key)).toInteger() == 0) {
            throw new IllegalArgumentException("a key with this hash exists already");
        }
        redis.call("HSET", IDS, key.id(), key.hash());
    }

    @Override
    public boolean update(ApiKey key) {
        Optional<ApiKey> stored = findById(key.id());
        if (stored.isEmpty()) {
            return false;
        }
        redis.call("HSET", KEYS, stored.get().hash(), json(key));
        known.remove(stored.get().hash());
        return true;
    }

    @Override
    public List<ApiKey> list() {
        List<ApiKey> keys = new ArrayList<>();
        Response all = redis.call("HVALS", KEYS);
        for (int i = 0; i < all.size(); i++) {
            parse(all.get(i)).ifPresent(keys::add);
        }
        return keys;
    }

    @Override
    public boolean isEmpty() {
        try {
            return redis.call("HLEN", KEYS).toLong() == 0;
        } catch (RedisUnavailableException e) {
            Known last = anyKey;
            if (last != null && System.nanoTime() - last.readAt() < STALE_NANOS) {
                return false;
            }
            throw e;
        }
    }

    private static Optional<ApiKey> parse(Response value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyJson.MAPPER.readValue(value.toString(), ApiKey.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt key record in Redis: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(ApiKey key) {
        try {
            return KeyJson.MAPPER.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
