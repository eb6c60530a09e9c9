package dev.sextant.router.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.auth.ApiKey;
import dev.sextant.router.auth.ApiKeys;
import dev.sextant.router.auth.KeyStore;
import dev.sextant.router.cache.ResponseCache;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.rest.openapi.AdminSchemas;
import dev.sextant.router.rest.openapi.ApiDocument;
import dev.sextant.router.rest.openapi.ErrorSchemas.ErrorResponse;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Admin API (admin key only): create, list, change and revoke API keys (a created key is shown once, in the
 * response; only its hash is stored), and flush the response cache.
 */
@Path("/admin")
@Tag(name = "Admin", description = "API keys and the response cache; admin keys only.")
@SecurityRequirement(name = ApiDocument.BEARER)
public class AdminResource {

    private static final Logger LOG = Logger.getLogger(AdminResource.class);
    private static final int MAX_NAME = 200;
    private static final String KEY_ID = "The key's id (`key_` and 12 hex digits), as created and listed.";

    private final Admission admission;
    private final KeyStore keys;
    private final SextantConfig config;
    private final ResponseCache cache;

    public AdminResource(Admission admission, KeyStore keys, SextantConfig config, ResponseCache cache) {
        this.cache = cache;
        this.admission = admission;
        this.keys = keys;
        this.config = config;
    }

    @POST
    @Path("/keys")
    @Blocking
    @Operation(operationId = "createKey", summary = "Create an API key")
    @RequestBody(required = true, content = @Content(mediaType = ApiDocument.JSON,
            schema = @Schema(implementation = AdminSchemas.KeyCreateRequest.class)))
    @APIResponse(responseCode = "201", description = "The key, shown this once.", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = AdminSchemas.CreatedKey.class)))
    @APIResponse(responseCode = "400", description = ApiDocument.BAD_REQUEST, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "413", description = ApiDocument.TOO_LARGE, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "401", description = ApiDocument.UNAUTHORIZED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "403", description = ApiDocument.ADMIN_REQUIRED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Response create(String json, @Context HttpServerRequest http) {
        var caller = admission.requireAdmin(Http.origin(http));
        ObjectNode body = Http.jsonBody(json);
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
        return Http.json(201, out);
    }

    @GET
    @Path("/keys")
    @Blocking
    @Operation(operationId = "listKeys", summary = "List the API keys")
    @APIResponse(responseCode = "200", description = "Every key (never the keys themselves).", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = AdminSchemas.KeyList.class)))
    @APIResponse(responseCode = "401", description = ApiDocument.UNAUTHORIZED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "403", description = ApiDocument.ADMIN_REQUIRED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Response list(@Context HttpServerRequest http) {
        admission.requireAdmin(Http.origin(http));
        ObjectNode out = Http.JSON.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        keys.list().forEach(k -> data.add(describe(k)));
        return Http.json(200, out);
    }

    /** Changes limits and budgets of a key; fields not given keep their value. */
    @PATCH
    @Path("/keys/{id}")
    @Blocking
    @Operation(operationId = "updateKey", summary = "Change a key's limits and budgets")
    @RequestBody(required = true, content = @Content(mediaType = ApiDocument.JSON,
            schema = @Schema(implementation = AdminSchemas.KeyUpdateRequest.class)))
    @APIResponse(responseCode = "200", description = "The key as changed.", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = AdminSchemas.Key.class)))
    @APIResponse(responseCode = "400", description = ApiDocument.BAD_REQUEST, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "413", description = ApiDocument.TOO_LARGE, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "401", description = ApiDocument.UNAUTHORIZED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "403", description = ApiDocument.ADMIN_REQUIRED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "404", description = "No key with this id (`key_not_found`).", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Response update(String json, @Context HttpServerRequest http,
                           @Parameter(description = KEY_ID) @PathParam("id") String id) {
        var caller = admission.requireAdmin(Http.origin(http));
        ApiKey key = existing(id);
        ObjectNode body = Http.jsonBody(json);
        ApiKey updated = key.withLimits(new ApiKey.KeyLimits(
                count(body, "requests_per_minute", key.requestsPerMinute()),
                count(body, "tokens_per_minute", key.tokensPerMinute()),
                dollars(body, "daily_budget_usd", key.dailyBudgetUsd()),
                dollars(body, "monthly_budget_usd", key.monthlyBudgetUsd())));
        keys.update(updated);
        LOG.infof("API key %s limits changed by %s", key.id(), caller.id());
        return Http.json(200, describe(updated));
    }

    @DELETE
    @Path("/keys/{id}")
    @Blocking
    @Operation(operationId = "revokeKey", summary = "Revoke a key",
            description = "The key stays listed, `revoked`; calls with it get 401.")
    @APIResponse(responseCode = "200", description = "The revoked key.", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = AdminSchemas.Key.class)))
    @APIResponse(responseCode = "401", description = ApiDocument.UNAUTHORIZED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "403", description = ApiDocument.ADMIN_REQUIRED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "404", description = "No key with this id (`key_not_found`).", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Response revoke(@Context HttpServerRequest http,
                           @Parameter(description = KEY_ID) @PathParam("id") String id) {
        var caller = admission.requireAdmin(Http.origin(http));
        ApiKey key = existing(id);
        keys.update(key.withRevoked(true));
        LOG.infof("API key %s revoked by %s", key.id(), caller.id());
        return Http.json(200, describe(key.withRevoked(true)));
    }

    /**
     * Drops cached answers: all of them ({@code {}}), or those citing given documents of a tenant
     * ({@code {"tenant": "acme", "sources": ["guide/install.md"]}}), on every router sharing the cache.
     */
    @POST
    @Path("/cache/flush")
    @Blocking
    @Operation(operationId = "flushCache", summary = "Drop cached answers")
    @RequestBody(required = false, content = @Content(mediaType = ApiDocument.JSON,
            schema = @Schema(implementation = AdminSchemas.CacheFlushRequest.class)))
    @APIResponse(responseCode = "200", description = "How many cached answers were dropped.", content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = AdminSchemas.CacheFlushResult.class)))
    @APIResponse(responseCode = "400", description = ApiDocument.BAD_REQUEST, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "413", description = ApiDocument.TOO_LARGE, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "401", description = ApiDocument.UNAUTHORIZED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "403", description = ApiDocument.ADMIN_REQUIRED, content = @Content(
            mediaType = ApiDocument.JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Response flushCache(String json, @Context HttpServerRequest http) {
        var caller = admission.requireAdmin(Http.origin(http));
        ObjectNode request = json == null || json.isEmpty() ? Http.JSON.createObjectNode() : Http.jsonBody(json);
        ResponseCache.InvalidateRequest invalidate;
        if (request.has("sources") || request.has("tenant")) {
            String tenant = JsonFields.string(request, "tenant", null);
            if (tenant == null || tenant.isBlank()) {
                throw ApiException.invalid("tenant", "'tenant' is required with 'sources'");
            }
            var sources = request.get("sources");
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
            invalidate = ResponseCache.InvalidateRequest.sources(tenant, names);
        } else {
            invalidate = ResponseCache.InvalidateRequest.everything();
        }
        int removed = cache.invalidate(invalidate).removed();
        LOG.infof("response cache flushed by %s: %d entries removed (%s)", caller.id(), removed,
                invalidate.all() ? "all" : invalidate.tenant() + " " + invalidate.sources());
        return Http.json(200, Http.JSON.createObjectNode().put("removed", removed));
    }

    private ApiKey existing(String id) {
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
