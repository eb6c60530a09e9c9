package dev.sextant.router.budget;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The same reserve-then-settle rules for one router process without Redis ({@code ./sextant serve}). */
public final class InMemoryBudgetLedger implements BudgetLedger {

    private static final class Window {
        long spent;
        long reserved;
        final Map<String, long[]> pending = new HashMap<>(); // id -> {amount, expiresAtMillis}
    }

    private final Clock clock;
    private final BudgetWindows windows;
    private final Map<String, Window> byKey = new HashMap<>();

    public InMemoryBudgetLedger(Clock clock) {
        this.clock = clock;
        this.windows = new BudgetWindows(clock, "");
    }

    @Override
    public synchronized ReserveResult reserve(ReserveRequest request) {
        long now = clock.millis();
        long smallest = Long.MAX_VALUE;
        List<String> keys = new ArrayList<>();
        for (BudgetLimit limit : request.limits()) {
            String key = windows.key(limit);
            Window window = byKey.computeIfAbsent(key, k -> new Window());
            window.pending.values().removeIf(p -> {
                boolean expired = p[1] <= now;
                if (expired) {
                    window.reserved -= p[0];
                }
                return expired;
            });
            long remaining = limit.limitNanos() - window.spent - window.reserved;
            if (request.amountNanos() > remaining) {
                return ReserveResult.refused(limit, remaining);
            }
            smallest = Math.min(smallest, remaining - request.amountNanos());
            keys.add(key);
        }
        for (String key : keys) {
            Window window = byKey.get(key);
            window.reserved += request.amountNanos();
            window.pending.put(request.reservationId(),
                    new long[] {request.amountNanos(), now + request.hold().toMillis()});
        }
        return new ReserveResult(true, null, smallest,
                new Reservation(request.reservationId(), keys, request.amountNanos()));
    }

    @Override
    public synchronized void settle(SettleRequest request) {
        for (String key : request.reservation().windows()) {
            Window window = byKey.computeIfAbsent(key, k -> new Window());
            long[] pending = window.pending.remove(request.reservation().id());
            if (pending != null) {
                window.reserved -= pending[0];
            }
            window.spent += request.actualNanos();
        }
    }

    @Override
    public synchronized UsageResult usage(UsageRequest request) {
        Window window = byKey.get(windows.key(request.scope(), request.period()));
        return window == null ? new UsageResult(0, 0) : new UsageResult(window.spent, window.reserved);
    }
}
