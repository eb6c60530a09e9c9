package dev.sextant.router.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sextant.router.http.Http;
import dev.sextant.router.redis.RedisScripts;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Keys in one Redis hash (field = SHA-256, value = JSON), with an id index; shared by all router replicas. */
public final class RedisKeyStore implements KeyStore {

    private static final String KEYS = "{sextant}:keys";
    private static final String IDS = "{sextant}:key-ids";

    private final RedisScripts redis;

    public RedisKeyStore(RedisScripts redis) {
        this.redis = redis;
    }

    @Override
    public Optional<ApiKey> findByHash(String hash) {
        return parse(redis.call("HGET", KEYS, hash));
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
        return redis.call("HLEN", KEYS).toLong() == 0;
    }

    private static Optional<ApiKey> parse(Response value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Http.JSON.readValue(value.toString(), ApiKey.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt key record in Redis: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(ApiKey key) {
        try {
            return Http.JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
