package dev.sextant.router.ratelimit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The same buckets for one router process without Redis. */
public final class InMemoryRateLimiter implements RateLimiter {

    private static final class State {
        double tokens;
        long ts;
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, State> buckets = new ConcurrentHashMap<>();

    public InMemoryRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Decision acquire(AcquireRequest request) {
        long now = clock.millis();
        List<Double> levels = new ArrayList<>();
        for (Bucket bucket : request.buckets()) {
            double tokens = refilled(bucket, now);
            if (bucket.cost() > tokens) {
                double rate = bucket.perMinute() / 60000.0;
                long wait = bucket.cost() > bucket.perMinute() ? -1 : (long) Math.ceil((bucket.cost() - tokens) / rate);
                return new Decision(false, List.of((long) Math.floor(tokens)), bucket, wait);
            }
            levels.add(tokens - bucket.cost());
        }
        List<Long> remaining = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            State state = buckets.computeIfAbsent(request.buckets().get(i).name(), k -> new State());
            state.tokens = levels.get(i);
            state.ts = now;
            remaining.add((long) Math.floor(levels.get(i)));
        }
        return new Decision(true, remaining, null, 0);
    }

    @Override
    public synchronized void refund(RefundRequest request) {
        State state = buckets.get(request.bucket().name());
        if (state != null) {
            state.tokens = Math.min(request.bucket().perMinute(), state.tokens + request.tokens());
        }
    }

    private double refilled(Bucket bucket, long now) {
        State state = buckets.get(bucket.name());
        if (state == null) {
            return bucket.perMinute();
        }
        double rate = bucket.perMinute() / 60000.0;
        return Math.min(bucket.perMinute(), state.tokens + Math.max(0, now - state.ts) * rate);
    }
}
