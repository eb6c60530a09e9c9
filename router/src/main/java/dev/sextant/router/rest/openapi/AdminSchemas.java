package dev.sextant.router.rest.openapi;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code /admin}: what {@code AdminResource} reads and writes. Limits of 0 mean no limit; budgets are US dollars. */
public final class AdminSchemas {

    private AdminSchemas() {
    }

    @Schema(name = "KeyCreateRequest", description = "A new API key; absent or null fields take their default.")
    public record KeyCreateRequest(
            @Schema(pattern = "^[A-Za-z0-9_.-]+$", minLength = 1, maxLength = 200, description = "The tenant whose "
                    + "documents the key's calls see; default: the server's `sextant.default-tenant` (default).")
            String tenant,
            @Schema(maxLength = 200, defaultValue = "", description = "A label for people.")
            String name,
            @Schema(defaultValue = "false", description = "Whether the key may call `/admin`.")
            Boolean admin,
            @Schema(minimum = "0", maximum = "2147483647", description = "Default: the server's "
                    + "`sextant.auth.default-requests-per-minute` (600).")
            Integer requests_per_minute,
            @Schema(minimum = "0", maximum = "2147483647", description = "Prompt plus answer tokens per minute; "
                    + "default: `sextant.auth.default-tokens-per-minute` (200000).")
            Integer tokens_per_minute,
            @Schema(minimum = "0", maximum = "1000000000", description = "Default: "
                    + "`sextant.auth.default-daily-budget-usd` (0).")
            Double daily_budget_usd,
            @Schema(minimum = "0", maximum = "1000000000", description = "Default: "
                    + "`sextant.auth.default-monthly-budget-usd` (0).")
            Double monthly_budget_usd) {
    }

    @Schema(name = "KeyUpdateRequest", description = "New limits of a key; fields absent or null keep their value.")
    public record KeyUpdateRequest(
            @Schema(minimum = "0", maximum = "2147483647")
            Integer requests_per_minute,
            @Schema(minimum = "0", maximum = "2147483647")
            Integer tokens_per_minute,
            @Schema(minimum = "0", maximum = "1000000000")
            Double daily_budget_usd,
            @Schema(minimum = "0", maximum = "1000000000")
            Double monthly_budget_usd) {
    }

    @Schema(name = "Key", requiredProperties = {"id", "name", "tenant", "admin", "requests_per_minute",
        "tokens_per_minute", "daily_budget_usd", "monthly_budget_usd", "revoked"},
            description = "An API key as stored: never the key itself, which only its creation shows.")
    public record Key(
            @Schema(pattern = "^key_[0-9a-f]{12}$", description = "The handle of admin calls and logs.")
            String id,
            String name,
            String tenant,
            boolean admin,
            @Schema(format = "int64", minimum = "0")
            long requests_per_minute,
            @Schema(format = "int64", minimum = "0")
            long tokens_per_minute,
            @Schema(minimum = "0")
            double daily_budget_usd,
            @Schema(minimum = "0")
            double monthly_budget_usd,
            boolean revoked) {
    }

    @Schema(name = "CreatedKey", allOf = Key.class, requiredProperties = "key",
            description = "A new key, with the key itself: shown this once (only its hash is stored).")
    public record CreatedKey(
            @Schema(description = "Send it as `Authorization: Bearer <key>`.")
            String key) {
    }

    @Schema(name = "KeyList", requiredProperties = {"object", "data"})
    public record KeyList(
            @Schema(constValue = "list", enumeration = "list")
            String object,
            @Schema(description = "Every key, revoked ones included.")
            List<Key> data) {
    }

    @Schema(name = "CacheFlushRequest", description = "`{}` (or no body) drops every cached answer; `tenant` with "
            + "`sources` drops those citing these documents of the tenant, on every router sharing the cache.")
    public record CacheFlushRequest(
            @Schema(minLength = 1)
            String tenant,
            @Schema(minItems = 1, description = "Document paths, as citations name them.")
            List<String> sources) {
    }

    @Schema(name = "CacheFlushResult", requiredProperties = "removed")
    public record CacheFlushResult(
            @Schema(minimum = "0", description = "Cached answers dropped.")
            int removed) {
    }
}
