package dev.sextant.rag.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the Milvus-protocol server from {@code ./sextant services start} is real: collection create, insert and
 * COSINE search through the Milvus Java SDK v2. Address from {@code SEXTANT_MILVUS_URI}.
 */
class MilvusServerTest {

    static String uri;

    @BeforeAll
    static void requireServer() {
        uri = MilvusTestServer.requireUri();
    }

    @Test
    void createInsertSearchDrop() {
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(uri).build());
        String name = "sextant_probe_" + System.nanoTime();
        try {
            var schema = CreateCollectionReq.CollectionSchema.builder().build();
            schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true)
                    .autoID(false).build());
            schema.addField(AddFieldReq.builder().fieldName("text").dataType(DataType.VarChar).maxLength(256)
                    .build());
            schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(4)
                    .build());
            IndexParam index = IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.HNSW)
                    .metricType(IndexParam.MetricType.COSINE).build();
            client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema)
                    .indexParams(List.of(index)).build());
            assertThat(client.hasCollection(HasCollectionReq.builder().collectionName(name).build())).isTrue();

            float[][] vectors = {{1, 0, 0, 0}, {0.8f, 0.6f, 0, 0}, {0, 0, 1, 0}};
            List<JsonObject> rows = new ArrayList<>();
            for (int i = 0; i < vectors.length; i++) {
                JsonObject row = new JsonObject();
                row.addProperty("id", i);
                row.addProperty("text", "row " + i);
                var array = new com.google.gson.JsonArray();
                for (float f : vectors[i]) {
                    array.add(f);
                }
                row.add("vector", array);
                rows.add(row);
            }
            var inserted = client.insert(InsertReq.builder().collectionName(name).data(rows).build());
            assertThat(inserted.getInsertCnt()).isEqualTo(3);

            SearchResp resp = client.search(SearchReq.builder().collectionName(name)
                    .data(List.of(new FloatVec(new float[] {1, 0.1f, 0, 0}))).annsField("vector").limit(2)
                    .outputFields(List.of("text")).build());
            List<SearchResp.SearchResult> hits = resp.getSearchResults().get(0);
            assertThat(hits).extracting(SearchResp.SearchResult::getId).containsExactly(0L, 1L);
            assertThat(hits.get(0).getEntity().get("text")).isEqualTo("row 0");
            assertThat(hits.get(0).getScore()).isGreaterThan(hits.get(1).getScore()).isGreaterThan(0.9f);
        } finally {
            client.dropCollection(DropCollectionReq.builder().collectionName(name).build());
            client.close();
        }
    }
}
