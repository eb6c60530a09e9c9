package dev.sextant.router.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The Redis of {@code ./sextant services start} ({@code SEXTANT_REDIS_URL}); missing: skip, or fail when CI=true. */
public final class RedisTestServer {

    private RedisTestServer() {
    }

    public static String url() {
        return System.getenv().getOrDefault("SEXTANT_REDIS_URL", "redis://127.0.0.1:6379");
    }

    /** The URL of a reachable Redis, or the test is skipped (failed on CI). */
    public static String require() {
        String url = url();
        URI parsed = URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(parsed.getHost(), parsed.getPort()), 2000);
            return url;
        } catch (IOException e) {
            String message = "no Redis server at " + url + " (start one with ./sextant services start)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
            return null;
        }
    }
}
