package dev.sextant.rag.store.milvus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link MilvusChunkStore} against the Milvus-protocol server of {@code ./sextant services start} (Milvus Lite), at
 * {@code SEXTANT_MILVUS_URI}. Skipped without a server, except in CI where a missing server is a failure.
 */
class MilvusChunkStoreTest extends MilvusChunkStoreContract {

    static String uri;

    @BeforeAll
    static void requireServer() {
        uri = System.getenv().getOrDefault("SEXTANT_MILVUS_URI", "http://127.0.0.1:19530");
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
    }

    @Override
    String uri() {
        return uri;
    }

    @Override
    boolean rangeSearchInHybrid() {
        // Lite's HybridSearch passes no radius to its sub-searches (servicer.py), so minScore is not applied there.
        return false;
    }
}
