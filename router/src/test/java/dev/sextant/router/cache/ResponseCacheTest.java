package dev.sextant.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.router.cache.ResponseCache.CachedAnswer;
import dev.sextant.router.cache.ResponseCache.InvalidateRequest;
import dev.sextant.router.cache.ResponseCache.LookupRequest;
import dev.sextant.router.cache.ResponseCache.Scope;
import dev.sextant.router.cache.ResponseCache.StoreRequest;
import dev.sextant.router.answer.Citation;
import dev.sextant.router.redis.RedisScripts;
import dev.sextant.router.redis.RedisTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseCacheTest {

    static OnnxEmbeddingModel embeddings;
    static final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void load() {
        embeddings = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), EmbedderOptions.defaults());
    }

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        embeddings.close();
    }

    static RedisResponseCache redisCache(Duration ttl) {
        RedisScripts redis = new RedisScripts(null, RedisTestServer.require(), Duration.ofSeconds(2));
        RedisResponseCache cache = new RedisResponseCache(redis, ttl);
        open.add(cache);
        open.add(redis);
        return cache;
    }

    static Stream<Arguments> caches() {
        return Stream.of(
                Arguments.of("in-process", (Function<Duration, ResponseCache>) ttl ->
                        new InProcessResponseCache(100, ttl)),
                Arguments.of("redis", (Function<Duration, ResponseCache>) ResponseCacheTest::redisCache));
    }

    static Scope scope(String tenant) {
        return new Scope(tenant, "m", "rag-v1", "minilm/embedded", "s");
    }

    static float[] vector(String text) {
        return embeddings.embed(EmbeddingRequest.of(text)).first();
    }

    static CachedAnswer answer(String text, String source) {
        return new CachedAnswer(text, "stop", 10, 5, List.of(new Citation(1, source, "c1", 0.8, "T", "passage", true)),
                Map.of(source, "hash-1"));
    }

    static void store(ResponseCache cache, Scope scope, String question, String text, String source) {
        cache.store(new StoreRequest(scope, question, vector(question), answer(text, source)));
    }

    static String lookup(ResponseCache cache, Scope scope, String question) {
        return cache.lookup(new LookupRequest(scope, question, vector(question), 0.85))
                .map(h -> h.answer().text()).orElse(null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caches")
    void exactAndSemanticHitsButNoNearMisses(String kind, Function<Duration, ResponseCache> caches) {
        ResponseCache cache = caches.apply(Duration.ofMinutes(5));
        Scope scope = scope("t-" + UUID.randomUUID());
        store(cache, scope, "How do I make a Python list into a heap?", "use heapq.heapify", "heapq.html");
        store(cache, scope, "How do I enable WAL mode in SQLite?", "PRAGMA journal_mode=WAL", "wal.rst");

        var exact = cache.lookup(new LookupRequest(scope, "  how do I make a python list into a heap ", null, 0.85));
        assertThat(exact).isPresent();
        assertThat(exact.get().exact()).isTrue();
        var semantic = cache.lookup(new LookupRequest(scope, "How can I turn a list into a heap in Python?",
                vector("How can I turn a list into a heap in Python?"), 0.85));
        assertThat(semantic).map(h -> h.answer().text()).contains("use heapq.heapify");
        assertThat(semantic.get().exact()).isFalse();
        assertThat(semantic.get().answer().citations()).extracting(Citation::source).containsExactly("heapq.html");

        // Embeds within the threshold, but asks the opposite.
        assertThat(lookup(cache, scope, "How do I disable WAL mode in SQLite?")).isNull();
        assertThat(lookup(cache, scope, "What is the capital of France?")).isNull();
        // Other tenants and models never see the entry.
        assertThat(lookup(cache, scope("other-" + UUID.randomUUID()), "How do I make a Python list into a heap?"))
                .isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caches")
    void entriesCitingAChangedSourceAreDropped(String kind, Function<Duration, ResponseCache> caches) {
        ResponseCache cache = caches.apply(Duration.ofMinutes(5));
        String tenant = "t-" + UUID.randomUUID();
        store(cache, scope(tenant), "What does VACUUM do?", "reclaims space", "vacuum.html");
        store(cache, scope(tenant), "How do I make a Python list into a heap?", "heapify", "heapq.html");
        assertThat(cache.invalidate(InvalidateRequest.sources(tenant, Set.of("vacuum.html"))).removed())
                .isEqualTo(1);
        assertThat(lookup(cache, scope(tenant), "What does VACUUM do?")).isNull();
        assertThat(lookup(cache, scope(tenant), "How do I make a Python list into a heap?")).isEqualTo("heapify");
        assertThat(cache.invalidate(InvalidateRequest.everything()).removed()).isGreaterThanOrEqualTo(1);
        assertThat(lookup(cache, scope(tenant), "How do I make a Python list into a heap?")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caches")
    void entriesExpire(String kind, Function<Duration, ResponseCache> caches) throws InterruptedException {
        ResponseCache cache = caches.apply(Duration.ofMillis(300));
        Scope scope = scope("t-" + UUID.randomUUID());
        store(cache, scope, "What does VACUUM do?", "reclaims space", "vacuum.html");
        assertThat(lookup(cache, scope, "What does VACUUM do?")).isEqualTo("reclaims space");
        Thread.sleep(600);
        assertThat(lookup(cache, scope, "What does VACUUM do?")).isNull();
    }

    @Test
    void twoRoutersSharingRedisSeeEachOthersEntriesAndInvalidations() {
        RedisResponseCache first = redisCache(Duration.ofMinutes(5));
        RedisResponseCache second = redisCache(Duration.ofMinutes(5));
        String tenant = "t-" + UUID.randomUUID();
        store(first, scope(tenant), "How do I make a Python list into a heap?", "heapify", "heapq.html");
        // The second router learns the vector from the change stream, then serves a paraphrase.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String seen = null;
        while (seen == null && System.nanoTime() < deadline) {
            seen = lookup(second, scope(tenant), "How can I turn a list into a heap in Python?");
        }
        assertThat(seen).isEqualTo("heapify");
        second.invalidate(InvalidateRequest.sources(tenant, Set.of("heapq.html")));
        assertThat(lookup(first, scope(tenant), "How can I turn a list into a heap in Python?")).isNull();
        assertThat(lookup(first, scope(tenant), "How do I make a Python list into a heap?")).isNull();
    }

    @Test
    void withRedisDownTheCacheFailsOpen() throws Exception {
        try (RedisScripts nowhere = new RedisScripts(null, "redis://127.0.0.1:1", Duration.ofMillis(300));
             RedisResponseCache cache = new RedisResponseCache(nowhere, Duration.ofMinutes(1))) {
            Scope scope = scope("t");
            store(cache, scope, "What does VACUUM do?", "reclaims space", "vacuum.html");
            assertThat(lookup(cache, scope, "What does VACUUM do?")).isNull();
            assertThat(cache.invalidate(InvalidateRequest.everything()).removed()).isZero();
        }
    }
}
