package dev.sextant.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.router.redis.RedisTestServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves the Redis from {@code ./sextant services start} is real: a round trip with TTL. */
class RedisServerTest {

    static String url;

    @BeforeAll
    static void requireServer() {
        url = RedisTestServer.require();
    }

    @Test
    void setGetExpireDelete() throws Exception {
        Vertx vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
        RedisAPI redis = RedisAPI.api(client);
        String key = "sextant:test:" + System.nanoTime();
        try {
            redis.set(List.of(key, "hello", "EX", "60")).toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertThat(redis.get(key).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
                    .toString()).isEqualTo("hello");
            long ttl = redis.ttl(key).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).toLong();
            assertThat(ttl).isBetween(1L, 60L);
            redis.del(List.of(key)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(redis.exists(List.of(key)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
                    .toInteger()).isZero();
        } finally {
            client.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
