package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;

public interface TenantConfig {
    @WithDefault("0")
    @DecimalMin("0")
    double dailyBudgetUsd();

    @WithDefault("0")
    @DecimalMin("0")
    double monthlyBudgetUsd();

    /** This tenant's {@code sextant.answerability.mode} ({@code off}, {@code flag}, {@code refuse}); unset: that. */
    Optional<@Pattern(regexp = "off|flag|refuse") String> answerability();
}
