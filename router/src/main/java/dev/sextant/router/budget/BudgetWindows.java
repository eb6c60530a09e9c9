package dev.sextant.router.budget;

import dev.sextant.router.budget.BudgetLedger.BudgetLimit;
import dev.sextant.router.budget.BudgetLedger.Period;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Names the current window of a budget: one per UTC day or month. */
final class BudgetWindows {

    private final Clock clock;
    private final String prefix;

    BudgetWindows(Clock clock, String prefix) {
        this.clock = clock;
        this.prefix = prefix;
    }

    String key(BudgetLimit limit) {
        return key(limit.scope(), limit.period());
    }

    String key(String scope, Period period) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        String window = period == Period.DAY ? today.toString() : today.toString().substring(0, 7);
        return prefix + scope + ":" + window;
    }
}
