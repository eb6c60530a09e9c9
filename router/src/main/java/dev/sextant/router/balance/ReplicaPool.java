package dev.sextant.router.balance;

import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.client.HttpInferenceClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Balances generation over remote inference replicas: each request goes to the healthy replica with the fewest
 * requests in flight (ties rotate). Replicas are probed on their readiness endpoint; failures eject them and
 * passing probes bring them back. A replica that cannot be reached, or fails before its first token, is replaced
 * by another for the same request (nothing was streamed yet, so nothing is duplicated); one that fails after the
 * first token ends the request with the error, which the chat route sends as the stream's last event.
 */
public final class ReplicaPool implements InferenceClient, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ReplicaPool.class);

    /**
     * How the pool treats replicas; see {@code ReplicasConfig} for each knob.
     *
     * @param apiKey Bearer key for the replicas; null sends none
     */
    public record Policy(Duration healthInterval, Duration healthTimeout, int ejectAfterFailures,
                         int returnAfterPasses, int failoverAttempts, Duration sourceRefresh,
                         Duration connectTimeout, String apiKey) {
    }

    private final ReplicaSource source;
    private final Policy policy;
    private final MeterRegistry registry;
    private final HttpClient probes;
    private final ScheduledExecutorService scheduler;
    private final Map<URI, Replica> replicas = new LinkedHashMap<>();
    private final Map<URI, List<Meter>> meters = new LinkedHashMap<>();
    private final AtomicInteger rotation = new AtomicInteger();
    private final Counter failovers;

    public ReplicaPool(ReplicaSource source, Policy policy, MeterRegistry registry) {
        this.source = source;
        this.policy = policy;
        this.registry = registry;
        this.probes = HttpClient.newBuilder().connectTimeout(policy.healthTimeout())
                .version(HttpClient.Version.HTTP_1_1).build();
        this.failovers = registry.counter("sextant.router.replica.failovers");
        refresh();
        if (replicas.isEmpty()) {
            LOG.warn("no inference replica known yet (sextant.inference.url / dns-name); requests answer 503 until "
                    + "one appears");
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sextant-replica-probes");
            t.setDaemon(true);
            return t;
        });
        long interval = Math.max(1, policy.healthInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::probeAll, 0, interval, TimeUnit.MILLISECONDS);
        long refresh = Math.max(1, policy.sourceRefresh().toMillis());
        scheduler.scheduleWithFixedDelay(this::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
    }

    @Override
    public GenerationResult generate(GenerationRequest request, TokenStream stream) {
        Set<Replica> tried = new HashSet<>();
        InferenceException last = null;
        for (int attempt = 0; attempt <= policy.failoverAttempts(); attempt++) {
            Replica replica = choose(tried);
            if (replica == null) {
                break;
            }
            tried.add(replica);
            if (attempt > 0) {
                failovers.increment();
            }
            FirstTokenWatch watch = new FirstTokenWatch(stream);
            replica.begin();
            try {
                GenerationResult result = replica.client().generate(request, watch);
                replica.succeeded();
                return result;
            } catch (InferenceException e) {
                if (e.kind() == InferenceException.Kind.INVALID_REQUEST
                        || e.kind() == InferenceException.Kind.MODEL_NOT_FOUND) {
                    replica.succeeded();
                    throw e;
                }
                if (e.kind() == InferenceException.Kind.INTERNAL && replica.failed(refused(e))) {
                    ejected(replica, e.getMessage());
                }
                if (watch.started || stream.isCancelled()) {
                    throw e;
                }
                last = e;
            } finally {
                replica.end();
            }
        }
        if (last != null) {
            throw last;
        }
        throw new InferenceException(InferenceException.Kind.INTERNAL, "no healthy inference replica ("
                + describe() + ")");
    }

    @Override
    public List<ModelInfo> models() {
        InferenceException last = null;
        for (Replica replica : snapshot()) {
            if (replica.healthy()) {
                try {
                    return replica.client().models();
                } catch (InferenceException e) {
                    last = e;
                }
            }
        }
        throw last != null ? last : new InferenceException(InferenceException.Kind.INTERNAL,
                "no healthy inference replica (" + describe() + ")");
    }

    /** Base URLs of the replicas that receive requests now. */
    public List<URI> healthyReplicas() {
        return snapshot().stream().filter(Replica::healthy).map(Replica::base).toList();
    }

    /** The healthy replica with the fewest requests in flight, not yet tried for this request; null if none. */
    private Replica choose(Set<Replica> tried) {
        List<Replica> all = snapshot();
        if (all.isEmpty()) {
            return null;
        }
        int offset = Math.floorMod(rotation.getAndIncrement(), all.size());
        Replica best = null;
        for (int i = 0; i < all.size(); i++) {
            Replica candidate = all.get((offset + i) % all.size());
            if (candidate.healthy() && !tried.contains(candidate)
                    && (best == null || candidate.outstanding() < best.outstanding())) {
                best = candidate;
            }
        }
        return best;
    }

    private synchronized List<Replica> snapshot() {
        return new ArrayList<>(replicas.values());
    }

    private String describe() {
        List<Replica> all = snapshot();
        return all.isEmpty() ? "none configured or resolved" : all.size() + " known, "
                + all.stream().filter(Replica::healthy).count() + " healthy";
    }

    /** Picks up replicas added to or removed from the source (a DNS name, typically). */
    private void refresh() {
        List<URI> now;
        try {
            now = source.current().stream().map(ReplicaPool::withSlash).distinct().toList();
        } catch (RuntimeException e) {
            LOG.warnf("cannot list inference replicas: %s", e.getMessage());
            return;
        }
        synchronized (this) {
            for (URI uri : now) {
                if (!replicas.containsKey(uri)) {
                    Replica replica = new Replica(uri, new HttpInferenceClient(uri, policy.connectTimeout(), policy.apiKey()),
                            policy.ejectAfterFailures(), policy.returnAfterPasses());
                    replicas.put(uri, replica);
                    meters.put(uri, List.of(
                            Gauge.builder("sextant.router.replica.healthy", replica, r -> r.healthy() ? 1 : 0)
                                    .tag("replica", uri.toString()).register(registry),
                            Gauge.builder("sextant.router.replica.outstanding", replica, Replica::outstanding)
                                    .tag("replica", uri.toString()).register(registry)));
                    LOG.infof("inference replica %s added", uri);
                }
            }
            for (URI uri : new ArrayList<>(replicas.keySet())) {
                if (!now.contains(uri)) {
                    replicas.remove(uri);
                    meters.remove(uri).forEach(registry::remove);
                    LOG.infof("inference replica %s removed", uri);
                }
            }
        }
    }

    private void probeAll() {
        for (Replica replica : snapshot()) {
            HttpRequest probe = HttpRequest.newBuilder(replica.base().resolve("q/health/ready"))
                    .timeout(policy.healthTimeout()).GET().build();
            probes.sendAsync(probe, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() == 200) {
                    if (replica.probePassed()) {
                        LOG.infof("inference replica %s is back", replica);
                    }
                } else if (replica.failed(false)) {
                    ejected(replica, "readiness probe " + (error != null ? "failed: " + error
                            : "answered " + response.statusCode()));
                }
            });
        }
    }

    private void ejected(Replica replica, String why) {
        registry.counter("sextant.router.replica.ejections", "replica", replica.toString()).increment();
        LOG.warnf("inference replica %s ejected: %s", replica, why);
    }

    /** A refused connection means nothing listens there: no point waiting for more failures. */
    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static URI withSlash(URI uri) {
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s : s + "/");
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        probes.close();
    }

    /** Passes text through and remembers whether any was sent: after the first token there is no failover. */
    private static final class FirstTokenWatch implements TokenStream {
        private final TokenStream delegate;
        private volatile boolean started;

        FirstTokenWatch(TokenStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onText(String delta) {
            started = true;
            delegate.onText(delta);
        }

        @Override
        public boolean isCancelled() {
            return delegate.isCancelled();
        }
    }
}
