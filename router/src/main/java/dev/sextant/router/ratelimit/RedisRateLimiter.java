package dev.sextant.router.ratelimit;

import dev.sextant.router.redis.RedisScripts;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** Buckets in Redis shared by all router replicas, updated by one Lua script per request. */
public final class RedisRateLimiter implements RateLimiter {

    private static final String ACQUIRE = RedisScripts.script("bucket-acquire.lua");
    private static final String REFUND = RedisScripts.script("bucket-refund.lua");
    private static final String PREFIX = "{sextant}:bucket:";

    private final RedisScripts redis;

    public RedisRateLimiter(RedisScripts redis) {
        this.redis = redis;
    }

    @Override
    public Decision acquire(AcquireRequest request) {
        if (request.buckets().isEmpty()) {
            return new Decision(true, List.of(), null, 0);
        }
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (Bucket bucket : request.buckets()) {
            keys.add(PREFIX + bucket.name());
            args.add(Long.toString(bucket.perMinute()));
            args.add(Long.toString(bucket.cost()));
        }
        Response answer = redis.eval(ACQUIRE, keys, args);
        if (answer.get(0).toInteger() == 0) {
            Bucket refused = request.buckets().get(answer.get(1).toInteger() - 1);
            return new Decision(false, List.of(answer.get(2).toLong()), refused, answer.get(3).toLong());
        }
        List<Long> remaining = new ArrayList<>();
        for (int i = 1; i < answer.size(); i++) {
            remaining.add(answer.get(i).toLong());
        }
        return new Decision(true, remaining, null, 0);
    }

    @Override
    public void refund(RefundRequest request) {
        if (request.tokens() > 0) {
            redis.eval(REFUND, List.of(PREFIX + request.bucket().name()),
                    List.of(Long.toString(request.bucket().perMinute()), Long.toString(request.tokens())));
        }
    }
}
