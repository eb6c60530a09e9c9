package dev.sextant.router.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One API key as stored: never the key itself, only its SHA-256 (keys are 192-bit random strings, so a fast hash is
 * safe). Limits of 0 mean "no limit"; budgets are in US dollars.
 *
 * @param id public handle for admin calls and logs ({@code key_} + the first 12 hex digits of the hash)
 */
public record ApiKey(
        String id,
        String hash,
        String name,
        String tenant,
        boolean admin,
        @JsonProperty("requests_per_minute") long requestsPerMinute,
        @JsonProperty("tokens_per_minute") long tokensPerMinute,
        @JsonProperty("daily_budget_usd") double dailyBudgetUsd,
        @JsonProperty("monthly_budget_usd") double monthlyBudgetUsd,
        boolean revoked) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(tenant, "tenant");
        name = name == null ? "" : name;
        if (requestsPerMinute < 0 || tokensPerMinute < 0 || dailyBudgetUsd < 0 || monthlyBudgetUsd < 0) {
            throw new IllegalArgumentException("limits and budgets must be >= 0");
        }
    }

    public ApiKey withRevoked(boolean value) {
        return new ApiKey(id, hash, name, tenant, admin, requestsPerMinute, tokensPerMinute, dailyBudgetUsd,
                monthlyBudgetUsd, value);
    }

    public ApiKey withLimits(KeyLimits limits) {
        return new ApiKey(id, hash, name, tenant, admin, limits.requestsPerMinute(), limits.tokensPerMinute(),
                limits.dailyBudgetUsd(), limits.monthlyBudgetUsd(), revoked);
    }

    /** What an admin sets on a key; 0 means no limit. */
    public record KeyLimits(long requestsPerMinute, long tokensPerMinute, double dailyBudgetUsd,
                            double monthlyBudgetUsd) {
    }
}
