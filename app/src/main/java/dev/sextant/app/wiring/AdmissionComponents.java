package dev.sextant.app.wiring;

import dev.sextant.router.admission.Admission;
import dev.sextant.router.auth.Authenticator;
import dev.sextant.router.auth.FileKeyStore;
import dev.sextant.router.auth.KeyStore;
import dev.sextant.router.auth.RedisKeyStore;
import dev.sextant.router.budget.BudgetLedger;
import dev.sextant.router.budget.InMemoryBudgetLedger;
import dev.sextant.router.budget.PriceTable;
import dev.sextant.router.budget.RedisBudgetLedger;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.ratelimit.InMemoryRateLimiter;
import dev.sextant.router.ratelimit.RateLimiter;
import dev.sextant.router.ratelimit.RedisRateLimiter;
import dev.sextant.router.redis.RedisScripts;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Keys, rate limits, budgets and prices: in Redis when {@code sextant.redis.url} is set, else in this process. */
public class AdmissionComponents {

    private static final Logger LOG = Logger.getLogger(AdmissionComponents.class);

    /** The optional Redis connection, one per process. */
    public record RedisAccess(Optional<RedisScripts> scripts) {
    }

    @Produces
    @Singleton
    RedisAccess redis(SextantConfig config, Vertx vertx) {
        return new RedisAccess(config.redis().url()
                .map(url -> new RedisScripts(vertx, url, config.redis().timeout())));
    }

    void closeRedis(@Disposes RedisAccess access) {
        access.scripts().ifPresent(RedisScripts::close);
    }

    @Produces
    @Singleton
    KeyStore keyStore(SextantConfig config, RedisAccess redis) {
        if (config.auth().store().equals("redis")) {
            return new RedisKeyStore(redis.scripts().orElseThrow(() -> new IllegalArgumentException(
                    "sextant.auth.store=redis needs sextant.redis.url")));
        }
        return new FileKeyStore(config.dataDir().resolve("keys.json"));
    }

    @Produces
    @Singleton
    Authenticator authenticator(SextantConfig config, KeyStore keys) {
        Authenticator authenticator = new Authenticator(keys, config.auth().adminKey(), config.defaultTenant());
        if (!authenticator.keysRequired()) {
            LOG.info("no API key is configured: requests are accepted from loopback only (create keys with the "
                    + "admin API, or set SEXTANT_AUTH_ADMIN_KEY)");
        }
        return authenticator;
    }

    @Produces
    @Singleton
    PriceTable prices(SextantConfig config) {
        var p = config.prices();
        Map<String, PriceTable.Price> models = new HashMap<>();
        p.models().forEach((model, price) -> models.put(model, new PriceTable.Price(price.promptPerMillion(),
                price.completionPerMillion(), price.embeddingPerMillion())));
        return new PriceTable(new PriceTable.Price(p.defaultPromptPerMillion(), p.defaultCompletionPerMillion(),
                p.defaultEmbeddingPerMillion()), models);
    }

    @Produces
    @Singleton
    Admission admission(SextantConfig config, RedisAccess redis, Authenticator authenticator, PriceTable prices,
                        MeterRegistry metrics) {
        RateLimiter limiter = redis.scripts().<RateLimiter>map(RedisRateLimiter::new)
                .orElseGet(() -> new InMemoryRateLimiter(Clock.systemUTC()));
        BudgetLedger ledger = redis.scripts().<BudgetLedger>map(r -> new RedisBudgetLedger(r, Clock.systemUTC()))
                .orElseGet(() -> new InMemoryBudgetLedger(Clock.systemUTC()));
        Map<String, Admission.TenantBudget> tenants = new HashMap<>();
        config.tenants().forEach((tenant, budget) -> tenants.put(tenant,
                new Admission.TenantBudget(budget.dailyBudgetUsd(), budget.monthlyBudgetUsd())));
        // A reservation is released if never settled (router died) after the longest a request can take.
        return new Admission(authenticator, limiter, ledger, prices, tenants,
                config.redis().failMode().equals("open"), config.inference().timeout().plusMinutes(1), metrics);
    }
}
