package dev.sextant.rag.store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Milvus-protocol server of {@code ./sextant services start}, at {@code SEXTANT_MILVUS_URI}. A test that needs
 * it is skipped without a server, except in CI, where a missing server is a failure.
 */
public final class MilvusTestServer {

    private MilvusTestServer() {
    }

    public static String requireUri() {
        String uri = System.getenv().getOrDefault("SEXTANT_MILVUS_URI", "http://127.0.0.1:19530");
        URI parsed = URI.create(uri);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(parsed.getHost(), parsed.getPort()), 2000);
        } catch (IOException e) {
            String message = "no Milvus server at " + uri + " (start one with ./sextant services start)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return uri;
    }
}
