package dev.sextant.eval.load;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Generates HTTP load: open loop at constant arrival rates ({@link #runOpenLoop}) or closed loop with a fixed
 * number of back-to-back clients ({@link #runClosedLoop}). Every request runs on a virtual thread of its own.
 * Steps run one after another; a step ends when its last request has ended (at worst after the request
 * timeout), so steps do not overlap.
 */
public final class LoadGenerator implements AutoCloseable {

    private final HttpClient client;
    private final boolean ownsClient;
    private final LoadListener listener;
    /** One platform thread fires every request's timeout alarm; alarms are cancelled when requests end. */
    private final ScheduledExecutorService timer;

    /** A generator with its own HTTP/1.1 client that follows no redirects. */
    public LoadGenerator(LoadListener listener) {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build(), true,
                listener);
    }

    public LoadGenerator() {
        this(LoadListener.NONE);
    }

    /** Uses {@code client} (HTTP/2, TLS settings, proxies are the caller's choice) and leaves it open. */
    public LoadGenerator(HttpClient client, LoadListener listener) {
        this(client, false, listener);
    }

    private LoadGenerator(HttpClient client, boolean ownsClient, LoadListener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.listener = Objects.requireNonNull(listener, "listener");
        ScheduledThreadPoolExecutor alarms = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform()
                .name("load-timeouts").daemon().factory());
        alarms.setRemoveOnCancelPolicy(true);
        this.timer = alarms;
    }

    /**
     * Runs each rate of {@code profile} in turn (see {@link LoadProfile}).
     *
     * @param label names the run in tables and comparisons
     * @throws IllegalStateException if the request source or the HTTP client refused a request (a programming
     *                               error, such as a restricted header); the run stops at the first one
     */
    public LoadReport runOpenLoop(String label, LoadProfile profile, RequestSource source)
            throws InterruptedException {
        AtomicLong sequence = new AtomicLong();
        List<StepResult> steps = new ArrayList<>();
        for (double rate : profile.rates()) {
            StepSpec spec = new StepSpec(StepSpec.Mode.OPEN, rate, 0, seconds(profile.durationPerRate()),
                    seconds(profile.warmUp()), profile.maxInFlight(), seconds(profile.requestTimeout()));
            listener.stepStarted(spec);
            StepResult result = new OpenLoopStep(spec, runner(profile.requestTimeout()), source, sequence,
                    () -> listener.scheduleFinished(spec)).run(LoadProfile.requestCount(rate, profile.warmUp()),
                    LoadProfile.requestCount(rate, profile.durationPerRate()));
            listener.stepFinished(result);
            steps.add(result);
        }
        return LoadReport.startingNow(label, steps);
    }

    /**
     * Runs each client count of {@code profile} in turn (see {@link ClosedLoopProfile}).
     *
     * @throws IllegalStateException as for {@link #runOpenLoop}
     */
    public LoadReport runClosedLoop(String label, ClosedLoopProfile profile, RequestSource source)
            throws InterruptedException {
        AtomicLong sequence = new AtomicLong();
        List<StepResult> steps = new ArrayList<>();
        for (int clients : profile.concurrencies()) {
            StepSpec spec = new StepSpec(StepSpec.Mode.CLOSED, Double.NaN, clients,
                    seconds(profile.durationPerStep()), seconds(profile.warmUp()), 0,
                    seconds(profile.requestTimeout()));
            listener.stepStarted(spec);
            StepResult result = new ClosedLoopStep(spec, runner(profile.requestTimeout()), source, sequence,
                    () -> listener.scheduleFinished(spec)).run(profile.warmUp(), profile.durationPerStep());
            listener.stepFinished(result);
            steps.add(result);
        }
        return LoadReport.startingNow(label, steps);
    }

    private ExchangeRunner runner(Duration timeout) {
        return new ExchangeRunner(client, timeout, timer);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (ownsClient) {
            client.close();
        }
    }

    /** Parks until {@code deadline} ({@link System#nanoTime()}); parking may return early, hence the loop. */
    static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
