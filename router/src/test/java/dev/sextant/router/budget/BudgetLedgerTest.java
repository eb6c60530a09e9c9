package dev.sextant.router.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.router.budget.BudgetLedger.BudgetLimit;
import dev.sextant.router.budget.BudgetLedger.Period;
import dev.sextant.router.budget.BudgetLedger.ReserveRequest;
import dev.sextant.router.budget.BudgetLedger.ReserveResult;
import dev.sextant.router.budget.BudgetLedger.SettleRequest;
import dev.sextant.router.budget.BudgetLedger.UsageRequest;
import dev.sextant.router.redis.RedisScripts;
import dev.sextant.router.redis.RedisTestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BudgetLedgerTest {

    static final List<RedisScripts> connections = new ArrayList<>();

    static RedisBudgetLedger redisLedger() {
        RedisScripts redis = new RedisScripts(null, RedisTestServer.require(), Duration.ofSeconds(5));
        connections.add(redis);
        return new RedisBudgetLedger(redis, Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        connections.forEach(RedisScripts::close);
    }

    static Stream<Arguments> ledgers() {
        return Stream.of(
                Arguments.of("in-memory", (Supplier<BudgetLedger>) () -> new InMemoryBudgetLedger(Clock.systemUTC())),
                Arguments.of("redis", (Supplier<BudgetLedger>) BudgetLedgerTest::redisLedger));
    }

    static String scope() {
        return "key:test-" + UUID.randomUUID();
    }

    static ReserveRequest reserve(long amount, Duration hold, BudgetLimit... limits) {
        return new ReserveRequest(UUID.randomUUID().toString(), List.of(limits), amount, hold);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ledgers")
    void aReservationThatDoesNotFitIsRefusedAndNamesTheLimit(String name, Supplier<BudgetLedger> ledgers) {
        BudgetLedger ledger = ledgers.get();
        BudgetLimit daily = new BudgetLimit(scope(), Period.DAY, 1_000);
        BudgetLimit monthly = new BudgetLimit(scope(), Period.MONTH, 10_000);
        ReserveResult first = ledger.reserve(reserve(600, Duration.ofMinutes(1), monthly, daily));
        assertThat(first.admitted()).isTrue();
        assertThat(first.remainingNanos()).isEqualTo(400);

        ReserveResult second = ledger.reserve(reserve(600, Duration.ofMinutes(1), monthly, daily));
        assertThat(second.admitted()).isFalse();
        assertThat(second.exceeded()).isEqualTo(daily);
        assertThat(second.remainingNanos()).isEqualTo(400);
        // Nothing of the refused reservation was kept, in any window.
        assertThat(ledger.usage(new UsageRequest(monthly.scope(), Period.MONTH)).reservedNanos()).isEqualTo(600);

        ledger.settle(new SettleRequest(first.reservation(), 250));
        assertThat(ledger.usage(new UsageRequest(daily.scope(), Period.DAY)))
                .isEqualTo(new BudgetLedger.UsageResult(250, 0));
        assertThat(ledger.reserve(reserve(750, Duration.ofMinutes(1), monthly, daily)).admitted()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ledgers")
    void twoHundredConcurrentRequestsNeverOverspend(String name, Supplier<BudgetLedger> ledgers) throws Exception {
        // Two ledgers (two router replicas when on Redis) share one small budget.
        List<BudgetLedger> replicas = name.equals("redis") ? List.of(ledgers.get(), ledgers.get())
                : List.of(ledgers.get());
        BudgetLimit limit = new BudgetLimit(scope(), Period.DAY, 50_000);
        long worstCase = 1_000;
        AtomicInteger admitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                BudgetLedger ledger = replicas.get(i % replicas.size());
                long actual = 300 + (i % 7) * 100; // never above the worst case
                requests.add(pool.submit(() -> {
                    ReserveResult r = ledger.reserve(reserve(worstCase, Duration.ofMinutes(1), limit));
                    if (r.admitted()) {
                        admitted.incrementAndGet();
                        ledger.settle(new SettleRequest(r.reservation(), actual));
                    }
                }));
            }
            for (Future<?> f : requests) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        var usage = replicas.get(0).usage(new UsageRequest(limit.scope(), Period.DAY));
        assertThat(usage.reservedNanos()).isZero();
        assertThat(usage.spentNanos()).isLessThanOrEqualTo(limit.limitNanos());
        // Settled requests cost less than reserved, so more than budget / worst case were admitted.
        assertThat(admitted.get()).isGreaterThanOrEqualTo(50);
        assertThat(admitted.get()).isLessThan(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ledgers")
    void aReservationNeverSettledIsReleasedWhenItsHoldExpires(String name, Supplier<BudgetLedger> ledgers)
            throws InterruptedException {
        BudgetLedger ledger = ledgers.get();
        BudgetLimit limit = new BudgetLimit(scope(), Period.DAY, 1_000);
        ReserveResult crashed = ledger.reserve(reserve(900, Duration.ofMillis(200), limit));
        assertThat(crashed.admitted()).isTrue();
        assertThat(ledger.reserve(reserve(900, Duration.ofMinutes(1), limit)).admitted()).isFalse();
        Thread.sleep(400);
        ReserveResult later = ledger.reserve(reserve(900, Duration.ofMinutes(1), limit));
        assertThat(later.admitted()).isTrue();
        // The late settle of the released reservation still records what was spent.
        ledger.settle(new SettleRequest(crashed.reservation(), 100));
        assertThat(ledger.usage(new UsageRequest(limit.scope(), Period.DAY)))
                .isEqualTo(new BudgetLedger.UsageResult(100, 900));
    }

    @Test
    void noLimitsAdmitsEverything() {
        var ledger = new InMemoryBudgetLedger(Clock.systemUTC());
        assertThat(ledger.reserve(reserve(Long.MAX_VALUE / 2, Duration.ofMinutes(1))).admitted()).isTrue();
    }
}
