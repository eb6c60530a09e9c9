package dev.sextant.router.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;

public interface StoreConfig {
    /**
     * {@code embedded}: Lucene (HNSW + BM25) in the data dir; {@code milvus}: a Milvus server (2.5+, or Milvus
     * Lite) at {@code milvus-uri}; {@code exact}: brute-force scan of one file in the data dir (small corpora,
     * reference results).
     */
    @WithDefault("embedded")
    @Pattern(regexp = "embedded|milvus|exact")
    String type();

    /** Milvus address for {@code type=milvus}. */
    @WithDefault("http://127.0.0.1:19530")
    String milvusUri();
}
