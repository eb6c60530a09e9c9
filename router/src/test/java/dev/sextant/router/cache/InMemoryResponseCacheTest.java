package dev.sextant.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryResponseCacheTest {

    static ResponseCache.CachedAnswer answer(String text) {
        return new ResponseCache.CachedAnswer(text, "stop", 1, 1, List.of());
    }

    @Test
    void keysAreScopedByTenantModelAndFingerprint() {
        var cache = new InMemoryResponseCache(10, Duration.ofMinutes(1));
        cache.store(new ResponseCache.CacheKey("a", "m", "f"), answer("x"));
        assertThat(cache.lookup(new ResponseCache.CacheKey("a", "m", "f"))).map(ResponseCache.CachedAnswer::text)
                .contains("x");
        assertThat(cache.lookup(new ResponseCache.CacheKey("b", "m", "f"))).isEmpty();
        assertThat(cache.lookup(new ResponseCache.CacheKey("a", "n", "f"))).isEmpty();
        assertThat(cache.lookup(new ResponseCache.CacheKey("a", "m", "g"))).isEmpty();
    }

    @Test
    void leastRecentlyUsedEntriesGoFirst() {
        var cache = new InMemoryResponseCache(2, Duration.ofMinutes(1));
        var k1 = new ResponseCache.CacheKey("t", "m", "1");
        var k2 = new ResponseCache.CacheKey("t", "m", "2");
        var k3 = new ResponseCache.CacheKey("t", "m", "3");
        cache.store(k1, answer("1"));
        cache.store(k2, answer("2"));
        cache.lookup(k1);
        cache.store(k3, answer("3"));
        assertThat(cache.lookup(k2)).isEmpty();
        assertThat(cache.lookup(k1)).isPresent();
        assertThat(cache.lookup(k3)).isPresent();
    }

    @Test
    void expiredEntriesAreNotServed() {
        var cache = new InMemoryResponseCache(10, Duration.ZERO);
        var key = new ResponseCache.CacheKey("t", "m", "1");
        cache.store(key, answer("1"));
        assertThat(cache.lookup(key)).isEmpty();
    }
}
