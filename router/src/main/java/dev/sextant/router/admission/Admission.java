package dev.sextant.router.admission;

import dev.sextant.router.auth.ApiKey;
import dev.sextant.router.auth.Authenticator;
import dev.sextant.router.auth.Authenticator.Caller;
import dev.sextant.router.budget.BudgetLedger;
import dev.sextant.router.budget.BudgetLedger.BudgetLimit;
import dev.sextant.router.budget.BudgetLedger.Period;
import dev.sextant.router.budget.PriceTable;
import dev.sextant.router.ratelimit.RateLimiter;
import dev.sextant.router.ratelimit.RateLimiter.Bucket;
import dev.sextant.router.redis.RedisScripts.RedisUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Every request passes here before any work: who is calling (API key), whether its per-minute buckets have room
 * (429 with Retry-After and {@code x-ratelimit-*} headers), and whether the worst-case cost fits every budget
 * window (402, refused before any work). {@link Ticket#finish} settles the actual cost and refunds unused tokens,
 * on success, failure and cancellation alike.
 *
 * <p>402 rather than 429 for budgets: OpenAI SDKs retry 429 automatically, which cannot help until the window resets.
 */
public final class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);

    /** What a request may cost at most, known before it runs. */
    public record Work(String model, long promptTokens, long maxCompletionTokens, boolean embedding) {
    }

    private final Authenticator authenticator;
    private final RateLimiter limiter;
    private final BudgetLedger ledger;
    private final PriceTable prices;
    private final boolean failOpen;
    private final Duration hold;
    private final MeterRegistry metrics;
    private final Map<String, TenantBudget> tenantBudgets;

    /** Dollars a tenant (all its keys together) may spend per day and month; 0: no limit. */
    public record TenantBudget(double dailyUsd, double monthlyUsd) {
    }

    public Admission(Authenticator authenticator, RateLimiter limiter, BudgetLedger ledger, PriceTable prices,
                     Map<String, TenantBudget> tenantBudgets, boolean failOpen, Duration hold,
                     MeterRegistry metrics) {
        this.tenantBudgets = Map.copyOf(tenantBudgets);
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.ledger = ledger;
        this.prices = prices;
        this.failOpen = failOpen;
        this.hold = hold;
        this.metrics = metrics;
    }

    /** Where a request came from, as the HTTP layer saw it. */
    public record Origin(String authorization, boolean loopback) {
    }

    /**
     * Who is calling: alone for routes that cost nothing (models list, retrieval), and before the body is parsed
     * on the others (401 before 400).
     */
    public Caller authenticate(Origin origin) {
        return authenticator.authenticate(origin.authorization(), origin.loopback());
    }

    public Caller requireAdmin(Origin origin) {
        return authenticator.requireAdmin(origin.authorization(), origin.loopback());
    }

    /** Takes the request's tokens from the caller's buckets and reserves its worst-case cost in every budget. */
    public Ticket admit(Caller caller, Work work) {
        ApiKey key = caller.key();
        if (key == null) {
            return new Ticket(caller, work, null, null, 0, Map.of());
        }
        long worstTokens = work.promptTokens() + work.maxCompletionTokens();
        Bucket tokenBucket = null;
        try {
            List<Bucket> buckets = new ArrayList<>();
            if (key.requestsPerMinute() > 0) {
                buckets.add(new Bucket(key.id() + ":requests", key.requestsPerMinute(), 1));
            }
            if (key.tokensPerMinute() > 0) {
                tokenBucket = new Bucket(key.id() + ":tokens", key.tokensPerMinute(), worstTokens);
                buckets.add(tokenBucket);
            }
            var decision = limiter.acquire(new RateLimiter.AcquireRequest(buckets));
            if (!decision.allowed()) {
                refuse("rate_limit");
                throw rateLimited(decision, key);
            }
            Map<String, String> headers = rateHeaders(buckets, decision.remaining());

            long worstCost = work.embedding() ? prices.embeddingNanos(work.model(), worstTokens)
                    : prices.chatNanos(work.model(), work.promptTokens(), work.maxCompletionTokens());
            List<BudgetLimit> limits = budgets(key);
            BudgetLedger.Reservation reservation = null;
            if (!limits.isEmpty()) {
                var reserved = ledger.reserve(new BudgetLedger.ReserveRequest(UUID.randomUUID().toString(), limits,
                        worstCost, hold));
                if (!reserved.admitted()) {
                    refund(tokenBucket, worstTokens);
                    refuse("budget");
                    throw budgetExceeded(reserved, worstCost);
                }
                reservation = reserved.reservation();
            }
            return new Ticket(caller, work, reservation, tokenBucket, worstTokens, headers);
        } catch (RedisUnavailableException e) {
            if (!failOpen) {
                throw new AdmissionException(AdmissionException.Reason.LIMITS_UNAVAILABLE,
                        "rate limits and budgets cannot be checked right now; retry shortly", Map.of());
            }
            LOG.warnf("Redis unavailable (%s): admitting %s without limits or budget", e.getMessage(), key.id());
            metrics.counter("sextant_admission_fail_open_total").increment();
            return new Ticket(caller, work, null, null, 0, Map.of());
        }
    }

    /** One admitted request; {@link #finish} once, whatever the outcome. */
    public final class Ticket {
        private final Caller caller;
        private final Work work;
        private final BudgetLedger.Reservation reservation;
        private final Bucket tokenBucket;
        private final long chargedTokens;
        private final Map<String, String> headers;
        private final AtomicBoolean finished = new AtomicBoolean();

        Ticket(Caller caller, Work work, BudgetLedger.Reservation reservation, Bucket tokenBucket,
               long chargedTokens, Map<String, String> headers) {
            this.headers = headers;
            this.caller = caller;
            this.work = work;
            this.reservation = reservation;
            this.tokenBucket = tokenBucket;
            this.chargedTokens = chargedTokens;
        }

        public Caller caller() {
            return caller;
        }

        /** The {@code x-ratelimit-*} headers of the admitted request's response. */
        public Map<String, String> headers() {
            return headers;
        }

        /** Settles the actual cost (0 tokens when nothing ran) and gives unused tokens back. */
        public void finish(long promptTokens, long completionTokens) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            try {
                if (reservation != null) {
                    long actual = work.embedding() ? prices.embeddingNanos(work.model(), promptTokens)
                            : prices.chatNanos(work.model(), promptTokens, completionTokens);
                    // The actual cost, even above the estimate: honest books over a tidy invariant.
                    ledger.settle(new BudgetLedger.SettleRequest(reservation, actual));
                }
                refund(tokenBucket, chargedTokens - promptTokens - completionTokens);
            } catch (RedisUnavailableException e) {
                LOG.warnf("Redis unavailable (%s): the reservation of %s is released when its hold expires",
                        e.getMessage(), caller.id());
            }
        }
    }

    private void refund(Bucket bucket, long tokens) {
        if (bucket != null && tokens > 0) {
            limiter.refund(new RateLimiter.RefundRequest(bucket, tokens));
        }
    }

    private void refuse(String reason) {
        metrics.counter("sextant_admission_refused_total", "reason", reason).increment();
    }

    private List<BudgetLimit> budgets(ApiKey key) {
        List<BudgetLimit> limits = new ArrayList<>();
        TenantBudget tenant = tenantBudgets.get(key.tenant());
        if (tenant != null && tenant.dailyUsd() > 0) {
            limits.add(new BudgetLimit("tenant:" + key.tenant(), Period.DAY,
                    PriceTable.dollarsToNanos(tenant.dailyUsd())));
        }
        if (tenant != null && tenant.monthlyUsd() > 0) {
            limits.add(new BudgetLimit("tenant:" + key.tenant(), Period.MONTH,
                    PriceTable.dollarsToNanos(tenant.monthlyUsd())));
        }
        if (key.dailyBudgetUsd() > 0) {
            limits.add(new BudgetLimit("key:" + key.id(), Period.DAY, PriceTable.dollarsToNanos(key.dailyBudgetUsd())));
        }
        if (key.monthlyBudgetUsd() > 0) {
            limits.add(new BudgetLimit("key:" + key.id(), Period.MONTH,
                    PriceTable.dollarsToNanos(key.monthlyBudgetUsd())));
        }
        return limits;
    }

    private static Map<String, String> rateHeaders(List<Bucket> buckets, List<Long> remaining) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < buckets.size(); i++) {
            String what = buckets.get(i).name().endsWith(":requests") ? "requests" : "tokens";
            headers.put("x-ratelimit-limit-" + what, Long.toString(buckets.get(i).perMinute()));
            headers.put("x-ratelimit-remaining-" + what, Long.toString(remaining.get(i)));
        }
        return headers;
    }

    private static AdmissionException rateLimited(RateLimiter.Decision decision, ApiKey key) {
        String what = decision.refused().name().endsWith(":requests") ? "requests" : "tokens";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ratelimit-limit-" + what, Long.toString(decision.refused().perMinute()));
        headers.put("x-ratelimit-remaining-" + what, Long.toString(decision.remaining().get(0)));
        if (decision.retryAfterMillis() < 0) {
            return new AdmissionException(AdmissionException.Reason.RATE_LIMITED, String.format(Locale.ROOT,
                    "this request needs %d %s but key %s allows %d per minute; lower max_tokens",
                    decision.refused().cost(), what, key.id(), decision.refused().perMinute()), headers);
        }
        long seconds = Math.max(1, (decision.retryAfterMillis() + 999) / 1000);
        headers.put("retry-after", Long.toString(seconds));
        headers.put("x-ratelimit-reset-" + what, seconds + "s");
        return new AdmissionException(AdmissionException.Reason.RATE_LIMITED, String.format(Locale.ROOT,
                "key %s is over its %s per minute limit (%d); retry in %d s", key.id(), what,
                decision.refused().perMinute(), seconds), headers);
    }

    private static AdmissionException budgetExceeded(BudgetLedger.ReserveResult refused, long worstCost) {
        BudgetLimit limit = refused.exceeded();
        return new AdmissionException(AdmissionException.Reason.BUDGET_EXCEEDED, String.format(Locale.ROOT,
                "the %s budget of %s ($%.4f) has $%.6f left; this request may cost up to $%.6f "
                        + "(prompt + max_tokens)", limit.period() == Period.DAY ? "daily" : "monthly", limit.scope(),
                PriceTable.nanosToDollars(limit.limitNanos()),
                PriceTable.nanosToDollars(Math.max(0, refused.remainingNanos())),
                PriceTable.nanosToDollars(worstCost)), Map.of());
    }
}
