package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMin;

public interface TenantConfig {
    @WithDefault("0")
    @DecimalMin("0")
    double dailyBudgetUsd();

    @WithDefault("0")
    @DecimalMin("0")
    double monthlyBudgetUsd();
}
