package dev.sextant.eval.load;

import dev.sextant.openai.sse.ChunkStreamReader;
import dev.sextant.openai.sse.StreamEnd;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Sends one request and reads its answer, within the request timeout. */
final class ExchangeRunner {

    private final HttpClient client;
    private final Duration timeout;
    private final ScheduledExecutorService timer;

    ExchangeRunner(HttpClient client, Duration timeout, ScheduledExecutorService timer) {
        this.client = client;
        this.timeout = timeout;
        this.timer = timer;
    }

    /**
     * @param originNanos    {@link System#nanoTime()} at time 0 of the record's clock (the measured window start)
     * @param scheduledNanos when the request was due, on that clock
     */
    RequestRecord run(long sequence, LoadRequest request, long originNanos, long scheduledNanos) {
        HttpRequest httpRequest = toHttp(request);
        Watchdog watchdog = new Watchdog(Thread.currentThread());
        long sent = System.nanoTime() - originNanos;
        ScheduledFuture<?> alarm = timer.schedule(watchdog::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        int status = 0;
        Outcome outcome;
        long firstToken = -1;
        long end;
        try {
            HttpResponse<InputStream> response = client.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream body = response.body()) {
                if (request.response().streaming() && status / 100 == 2) {
                    FirstTokenClock first = new FirstTokenClock(request.response(),
                            () -> System.nanoTime() - originNanos);
                    StreamEnd stream = ChunkStreamReader.read(body, first);
                    end = System.nanoTime() - originNanos;
                    outcome = stream.done() ? Outcome.OK : Outcome.STREAM_ERROR;
                    firstToken = first.nanos();
                } else {
                    body.transferTo(OutputStream.nullOutputStream());
                    end = System.nanoTime() - originNanos;
                    outcome = Outcome.ofStatus(status);
                }
                drainQuietly(body);
            }
        } catch (HttpTimeoutException e) {
            outcome = Outcome.TIMEOUT;
            end = System.nanoTime() - originNanos;
        } catch (IOException | InterruptedException e) {
            // The watchdog interrupts a request that ran out of time; anything else is a broken connection.
            outcome = watchdog.fired() ? Outcome.TIMEOUT : Outcome.IO_ERROR;
            end = System.nanoTime() - originNanos;
        } finally {
            alarm.cancel(false);
            watchdog.finish();
        }
        return new RequestRecord(sequence, outcome, status, scheduledNanos, sent, firstToken, end);
    }

    /**
     * Reads what follows the deciding event (normally just the end of the chunked body), so the connection goes
     * back to the pool instead of being closed; a failure here no longer changes the outcome.
     */
    private static void drainQuietly(InputStream body) {
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the outcome was decided before
        }
    }

    private HttpRequest toHttp(LoadRequest request) {
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body());
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(timeout)
                .method(request.method(), body);
        request.headers().forEach(builder::header);
        return builder.build();
    }

    /**
     * Interrupts the request thread once the timeout passes: a blocked {@code send} then cancels the exchange, a
     * blocked body read closes the stream. The lock keeps a late alarm from interrupting the thread after the
     * request finished, when a closed-loop client would already be on its next request.
     */
    private static final class Watchdog {
        private final Thread thread;
        private boolean finished;
        private boolean fired;

        Watchdog(Thread thread) {
            this.thread = thread;
        }

        synchronized void fire() {
            if (!finished) {
                fired = true;
                thread.interrupt();
            }
        }

        synchronized boolean fired() {
            return fired;
        }

        synchronized void finish() {
            finished = true;
            // clears an interrupt the alarm delivered after the last blocking call
            Thread.interrupted();
        }
    }
}
