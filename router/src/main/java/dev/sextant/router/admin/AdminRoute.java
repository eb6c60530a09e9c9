package dev.sextant.router.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.auth.ApiKey;
import dev.sextant.router.auth.ApiKeys;
import dev.sextant.router.auth.KeyStore;
import dev.sextant.router.cache.ResponseCache;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.http.ApiException;
import dev.sextant.router.http.Http;
import dev.sextant.router.http.JsonFields;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Admin API (admin key only): create, list, change and revoke API keys (a created key is shown once, in the
 * response; only its hash is stored), and flush the response cache.
 */
@ApplicationScoped
public class AdminRoute {

    private static final Logger LOG = Logger.getLogger(AdminRoute.class);
    private static final int MAX_NAME = 200;

    private final Admission admission;
    private final KeyStore keys;
    private final SextantConfig config;
    private final ResponseCache cache;

    public AdminRoute(Admission admission, KeyStore keys, SextantConfig config, ResponseCache cache) {
        this.cache = cache;
        this.admission = admission;
        this.keys = keys;
        this.config = config;
    }

    @Route(path = "/admin/keys", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    void create(RoutingContext rc) {
        Http.serve(rc, () -> {
            var caller = admission.requireAdmin(rc);
            ObjectNode body = Http.jsonBody(rc);
            String tenant = JsonFields.string(body, "tenant", config.defaultTenant());
            if (tenant.isBlank() || tenant.length() > MAX_NAME || !tenant.matches("[A-Za-z0-9_.-]+")) {
                throw ApiException.invalid("tenant", "'tenant' must be 1-200 letters, digits, '.', '_' or '-'");
            }
            String name = JsonFields.string(body, "name", "");
            if (name.length() > MAX_NAME) {
                throw ApiException.invalid("name", "'name' has more than " + MAX_NAME + " characters");
            }
            String plaintext = ApiKeys.generate();
            String hash = ApiKeys.hash(plaintext);
            var auth = config.auth();
            ApiKey key = new ApiKey(ApiKeys.idOf(hash), hash, name, tenant, JsonFields.bool(body, "admin", false),
                    count(body, "requests_per_minute", auth.defaultRequestsPerMinute()),
                    count(body, "tokens_per_minute", auth.defaultTokensPerMinute()),
                    dollars(body, "daily_budget_usd", auth.defaultDailyBudgetUsd()),
                    dollars(body, "monthly_budget_usd", auth.defaultMonthlyBudgetUsd()), false);
            keys.add(key);
            LOG.infof("API key %s created for tenant %s by %s", key.id(), tenant, caller.id());
            ObjectNode out = describe(key);
            out.put("key", plaintext);
            Http.sendJson(rc, 201, out);
        });
    }

    @Route(path = "/admin/keys", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    void list(RoutingContext rc) {
        Http.serve(rc, () -> {
            admission.requireAdmin(rc);
            ObjectNode out = Http.JSON.createObjectNode().put("object", "list");
            ArrayNode data = out.putArray("data");
            keys.list().forEach(k -> data.add(describe(k)));
            Http.sendJson(rc, 200, out);
        });
    }

    /** Changes limits and budgets of a key; fields not given keep their value. */
    @Route(path = "/admin/keys/:id", methods = Route.HttpMethod.PATCH, type = Route.HandlerType.BLOCKING)
    void update(RoutingContext rc) {
        Http.serve(rc, () -> {
            var caller = admission.requireAdmin(rc);
            ApiKey key = existing(rc);
            ObjectNode body = Http.jsonBody(rc);
            ApiKey updated = key.withLimits(new ApiKey.KeyLimits(
                    count(body, "requests_per_minute", key.requestsPerMinute()),
                    count(body, "tokens_per_minute", key.tokensPerMinute()),
                    dollars(body, "daily_budget_usd", key.dailyBudgetUsd()),
                    dollars(body, "monthly_budget_usd", key.monthlyBudgetUsd())));
            keys.update(updated);
            LOG.infof("API key %s limits changed by %s", key.id(), caller.id());
            Http.sendJson(rc, 200, describe(updated));
        });
    }

    @Route(path = "/admin/keys/:id", methods = Route.HttpMethod.DELETE, type = Route.HandlerType.BLOCKING)
    void revoke(RoutingContext rc) {
        Http.serve(rc, () -> {
            var caller = admission.requireAdmin(rc);
            ApiKey key = existing(rc);
            keys.update(key.withRevoked(true));
            LOG.infof("API key %s revoked by %s", key.id(), caller.id());
            Http.sendJson(rc, 200, describe(key.withRevoked(true)));
        });
    }

    /**
     * Drops cached answers: all of them ({@code {}}), or those citing given documents of a tenant
     * ({@code {"tenant": "acme", "sources": ["guide/install.md"]}}), on every router sharing the cache.
     */
    @Route(path = "/admin/cache/flush", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    void flushCache(RoutingContext rc) {
        Http.serve(rc, () -> {
            var caller = admission.requireAdmin(rc);
            ObjectNode body = rc.body() == null || rc.body().length() == 0 ? Http.JSON.createObjectNode()
                    : Http.jsonBody(rc);
            ResponseCache.InvalidateRequest request;
            if (body.has("sources") || body.has("tenant")) {
                String tenant = JsonFields.string(body, "tenant", null);
                if (tenant == null || tenant.isBlank()) {
                    throw ApiException.invalid("tenant", "'tenant' is required with 'sources'");
                }
                var sources = body.get("sources");
                if (sources == null || !sources.isArray() || sources.isEmpty()) {
                    throw ApiException.invalid("sources", "'sources' must be a non-empty array of document "
                            + "paths (omit both fields to flush everything)");
                }
                java.util.Set<String> names = new java.util.LinkedHashSet<>();
                for (var source : sources) {
                    if (!source.isTextual() || source.textValue().isBlank()) {
                        throw ApiException.invalid("sources", "'sources' items must be non-empty strings");
                    }
                    names.add(source.textValue());
                }
                request = ResponseCache.InvalidateRequest.sources(tenant, names);
            } else {
                request = ResponseCache.InvalidateRequest.everything();
            }
            int removed = cache.invalidate(request).removed();
            LOG.infof("response cache flushed by %s: %d entries removed (%s)", caller.id(), removed,
                    request.all() ? "all" : request.tenant() + " " + request.sources());
            Http.sendJson(rc, 200, Http.JSON.createObjectNode().put("removed", removed));
        });
    }

    private ApiKey existing(RoutingContext rc) {
        String id = rc.pathParam("id");
        return keys.findById(id).orElseThrow(() -> new ApiException(404, "invalid_request_error", "id",
                "key_not_found", "no API key with id '" + id + "'"));
    }

    private static long count(ObjectNode body, String field, long absent) {
        return JsonFields.integer(body, field, (int) Math.min(Integer.MAX_VALUE, absent), 0, Integer.MAX_VALUE);
    }

    private static double dollars(ObjectNode body, String field, double absent) {
        return JsonFields.number(body, field, absent, 0, 1e9);
    }

    private static ObjectNode describe(ApiKey key) {
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("id", key.id()).put("name", key.name()).put("tenant", key.tenant()).put("admin", key.admin())
                .put("requests_per_minute", key.requestsPerMinute()).put("tokens_per_minute", key.tokensPerMinute())
                .put("daily_budget_usd", key.dailyBudgetUsd()).put("monthly_budget_usd", key.monthlyBudgetUsd())
                .put("revoked", key.revoked());
        return out;
    }
}
