package dev.sextant.router.budget;

import dev.sextant.router.redis.RedisScripts;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Budgets shared by every router replica: one Lua script reserves in all windows or none, another settles. All
 * keys carry the {@code {sextant}} hash tag, so they live in one slot and the scripts also run on a Redis Cluster.
 */
public final class RedisBudgetLedger implements BudgetLedger {

    private static final String RESERVE = RedisScripts.script("budget-reserve.lua");
    private static final String SETTLE = RedisScripts.script("budget-settle.lua");
    private static final Duration DAY_WINDOW_TTL = Duration.ofDays(2);
    private static final Duration MONTH_WINDOW_TTL = Duration.ofDays(63);

    private final RedisScripts redis;
    private final BudgetWindows windows;

    public RedisBudgetLedger(RedisScripts redis, Clock clock) {
        this.redis = redis;
        this.windows = new BudgetWindows(clock, "{sextant}:budget:");
    }

    @Override
    public ReserveResult reserve(ReserveRequest request) {
        if (request.limits().isEmpty()) {
            return new ReserveResult(true, null, Long.MAX_VALUE,
                    new Reservation(request.reservationId(), List.of(), request.amountNanos()));
        }
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of(Long.toString(request.amountNanos()), request.reservationId(),
                Long.toString(request.hold().toMillis())));
        boolean monthly = request.limits().stream().anyMatch(l -> l.period() == Period.MONTH);
        args.add(Long.toString((monthly ? MONTH_WINDOW_TTL : DAY_WINDOW_TTL).toSeconds()));
        for (BudgetLimit limit : request.limits()) {
            keys.add(windows.key(limit));
            args.add(Long.toString(limit.limitNanos()));
        }
        Response answer = redis.eval(RESERVE, keys, args);
        if (answer.get(0).toInteger() == 0) {
            BudgetLimit exceeded = request.limits().get(answer.get(1).toInteger() - 1);
            return ReserveResult.refused(exceeded, answer.get(2).toLong());
        }
        return new ReserveResult(true, null, answer.get(1).toLong(),
                new Reservation(request.reservationId(), keys, request.amountNanos()));
    }

    @Override
    public void settle(SettleRequest request) {
        if (request.reservation().windows().isEmpty()) {
            return;
        }
        redis.eval(SETTLE, request.reservation().windows(),
                List.of(request.reservation().id(), Long.toString(request.actualNanos())));
    }

    @Override
    public UsageResult usage(UsageRequest request) {
        Response fields = redis.call("HMGET", windows.key(request.scope(), request.period()), "spent", "reserved");
        return new UsageResult(longOrZero(fields.get(0)), longOrZero(fields.get(1)));
    }

    private static long longOrZero(Response value) {
        return value == null ? 0 : value.toLong();
    }
}
