package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * How the router watches remote inference replicas ({@code sextant.inference.replicas.*}): each is probed on its
 * readiness endpoint; a replica that fails probes or requests is ejected, and returns after passing probes again.
 */
public interface ReplicasConfig {

    /** Time between two readiness probes of one replica. */
    @WithDefault("2s")
    Duration healthInterval();

    /** A probe slower than this fails. */
    @WithDefault("1s")
    Duration healthTimeout();

    /** Consecutive failures (probes, or requests the replica could not serve) that eject a replica. */
    @WithDefault("2")
    @Min(1)
    @Max(100)
    int ejectAfterFailures();

    /** Consecutive passing probes an ejected replica needs to receive requests again. */
    @WithDefault("2")
    @Min(1)
    @Max(100)
    int returnAfterPasses();

    /**
     * Other replicas tried when one cannot be reached or fails before sending its first token (generation has not
     * started, so trying elsewhere cannot duplicate output). A failure after the first token ends the stream.
     */
    @WithDefault("2")
    @Min(0)
    @Max(10)
    int failoverAttempts();

    /** How often {@code sextant.inference.dns-name} is resolved again to pick up added and removed replicas. */
    @WithDefault("10s")
    Duration dnsRefresh();

    /** Connection timeout towards one replica. */
    @WithDefault("2s")
    Duration connectTimeout();
}
