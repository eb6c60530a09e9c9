package dev.sextant.rag.store.milvus;

import dev.sextant.rag.store.MilvusTestServer;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link MilvusChunkStore} against the Milvus-protocol server of {@code ./sextant services start} (Milvus Lite), at
 * {@code SEXTANT_MILVUS_URI}. Skipped without a server, except in CI where a missing server is a failure.
 */
class MilvusChunkStoreTest extends MilvusChunkStoreContract {

    static String uri;

    @BeforeAll
    static void requireServer() {
        uri = MilvusTestServer.requireUri();
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
