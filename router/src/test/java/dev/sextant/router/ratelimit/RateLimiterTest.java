package dev.sextant.router.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.router.ratelimit.RateLimiter.AcquireRequest;
import dev.sextant.router.ratelimit.RateLimiter.Bucket;
import dev.sextant.router.ratelimit.RateLimiter.Decision;
import dev.sextant.router.ratelimit.RateLimiter.RefundRequest;
import dev.sextant.router.redis.RedisScripts;
import dev.sextant.router.redis.RedisTestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RateLimiterTest {

    static final List<RedisScripts> connections = new ArrayList<>();

    static RateLimiter redisLimiter() {
        RedisScripts redis = new RedisScripts(null, RedisTestServer.require(), Duration.ofSeconds(5));
        connections.add(redis);
        return new RedisRateLimiter(redis);
    }

    @AfterAll
    static void close() {
        connections.forEach(RedisScripts::close);
    }

    static Stream<Arguments> limiters() {
        return Stream.of(
                Arguments.of("in-memory", (Supplier<RateLimiter>) () -> new InMemoryRateLimiter(Clock.systemUTC())),
                Arguments.of("redis", (Supplier<RateLimiter>) RateLimiterTest::redisLimiter));
    }

    static String name() {
        return "test-" + UUID.randomUUID();
    }

    static Decision take(RateLimiter limiter, Bucket... buckets) {
        return limiter.acquire(new AcquireRequest(List.of(buckets)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limiters")
    void aBucketAllowsItsCapacityThenSaysWhenToRetry(String kind, Supplier<RateLimiter> limiters) {
        RateLimiter limiter = limiters.get();
        String requests = name();
        for (int i = 4; i >= 0; i--) {
            Decision d = take(limiter, new Bucket(requests, 5, 1));
            assertThat(d.allowed()).isTrue();
            assertThat(d.remaining()).containsExactly((long) i);
        }
        Decision refused = take(limiter, new Bucket(requests, 5, 1));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.refused().name()).isEqualTo(requests);
        // One request comes back every 12 s at 5 per minute.
        assertThat(refused.retryAfterMillis()).isBetween(10_000L, 12_000L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limiters")
    void bucketsAreTakenAllOrNone(String kind, Supplier<RateLimiter> limiters) {
        RateLimiter limiter = limiters.get();
        Bucket requests = new Bucket(name(), 10, 1);
        String tokens = name();
        assertThat(take(limiter, requests, new Bucket(tokens, 1000, 900)).allowed()).isTrue();
        Decision refused = take(limiter, requests, new Bucket(tokens, 1000, 500));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.refused().name()).isEqualTo(tokens);
        // The refused request took nothing from the requests bucket.
        assertThat(take(limiter, requests, new Bucket(tokens, 1000, 0)).remaining().get(0)).isEqualTo(8L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limiters")
    void aCostAboveCapacityCanNeverBeServed(String kind, Supplier<RateLimiter> limiters) {
        Decision d = take(limiters.get(), new Bucket(name(), 100, 101));
        assertThat(d.allowed()).isFalse();
        assertThat(d.retryAfterMillis()).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limiters")
    void unusedTokensAreRefundedAndTimeRefills(String kind, Supplier<RateLimiter> limiters)
            throws InterruptedException {
        RateLimiter limiter = limiters.get();
        String tokens = name();
        assertThat(take(limiter, new Bucket(tokens, 6000, 6000)).allowed()).isTrue();
        limiter.refund(new RefundRequest(new Bucket(tokens, 6000, 0), 1000));
        Decision afterRefund = take(limiter, new Bucket(tokens, 6000, 0));
        assertThat(afterRefund.remaining().get(0)).isBetween(1000L, 1200L);
        Thread.sleep(300); // 100 tokens per second come back
        assertThat(take(limiter, new Bucket(tokens, 6000, 0)).remaining().get(0)).isGreaterThan(1020L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limiters")
    void replicasSharingRedisShareTheBucket(String kind, Supplier<RateLimiter> limiters) {
        RateLimiter first = limiters.get();
        RateLimiter second = kind.equals("redis") ? limiters.get() : first;
        String requests = name();
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            if (take(i % 2 == 0 ? first : second, new Bucket(requests, 6, 1)).allowed()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(6);
    }
}
