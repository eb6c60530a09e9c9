package dev.sextant.openai.sse;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads what follows a stream's deciding event, normally only the end of the chunked body. The JDK's
 * {@code HttpClient} puts a connection back in its pool only once the body was read to its end; closing the body
 * before that closes the connection, and the next request pays for a new one.
 */
public final class BodyDrain {

    /** Enough for the terminating chunk and a trailer; a server that sends more after {@code [DONE]} is cut off. */
    public static final long DEFAULT_MAX_BYTES = 64 * 1024;
    /** The end follows {@code [DONE]} at once from any server that ends its response; it is not waited for longer. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);

    private BodyDrain() {
    }

    /** {@link #drain(InputStream, Duration, long)} with the defaults. */
    public static boolean drain(InputStream body) {
        return drain(body, DEFAULT_GRACE, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads {@code body} to its end, but no more than {@code maxBytes} and no longer than {@code grace}: past
     * either, the body is closed (a server that keeps a finished stream open must not hold the caller). Never
     * throws.
     *
     * @return true when the end was reached (the connection can be reused)
     */
    public static boolean drain(InputStream body, Duration grace, long maxBytes) {
        // Closing the JDK client's body stream wakes a read blocked on it; the delayed executor's thread is shared.
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> closeQuietly(body),
                CompletableFuture.delayedExecutor(grace.toNanos(), TimeUnit.NANOSECONDS));
        try {
            long left = maxBytes;
            byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, maxBytes + 1))];
            int n;
            while ((n = body.read(buffer, 0, (int) Math.min(buffer.length, left + 1))) >= 0) {
                left -= n;
                if (left < 0) {
                    closeQuietly(body);
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            deadline.cancel(false);
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // closing is the point, not its outcome
        }
    }
}
