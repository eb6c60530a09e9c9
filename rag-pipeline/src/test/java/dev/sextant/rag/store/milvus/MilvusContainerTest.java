package dev.sextant.rag.store.milvus;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.milvus.MilvusContainer;

/**
 * The same contract against a real Milvus 2.6 standalone in Docker, where Lite's shortcuts (ignored consistency
 * levels, no AllocTimestamp) do not apply. Skipped where no Docker engine runs.
 */
class MilvusContainerTest extends MilvusChunkStoreContract {

    /** The version the production Helm chart (milvus 5.0.19) deploys. */
    static final String IMAGE = "milvusdb/milvus:v2.6.15";

    static MilvusContainer milvus;

    @BeforeAll
    static void startMilvus() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine: Milvus " + IMAGE + " container test skipped");
        milvus = new MilvusContainer(IMAGE);
        milvus.start();
    }

    @AfterAll
    static void stopMilvus() {
        if (milvus != null) {
            milvus.stop();
        }
    }

    @Override
    String uri() {
        return milvus.getEndpoint();
    }

    @Override
    boolean rangeSearchInHybrid() {
        return true;
    }
}
