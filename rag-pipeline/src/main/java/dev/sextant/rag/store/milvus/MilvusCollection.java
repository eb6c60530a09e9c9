package dev.sextant.rag.store.milvus;

import io.milvus.common.clientenum.FunctionType;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import java.util.List;

/**
 * The chunk collection's schema: creates it when missing and checks an existing one, so that the store never writes
 * into a collection of another dimension or one without the BM25 function.
 */
final class MilvusCollection {

    static final String ID = "id";
    static final String TENANT = "tenant";
    static final String SOURCE = "source";
    static final String TITLE = "title";
    static final String HEADING = "heading";
    static final String TEXT = "text";
    static final String ORDINAL = "ordinal";
    static final String DOCUMENT_HASH = "document_hash";
    static final String VECTOR = "vector";
    static final String SPARSE = "sparse";
    static final String BM25_FUNCTION = "text_bm25";

    /** Everything needed to rebuild a Chunk; the vectors are never read back. */
    static final List<String> OUTPUT_FIELDS = List.of(ID, TENANT, SOURCE, TITLE, HEADING, TEXT, ORDINAL,
            DOCUMENT_HASH);

    // VarChar limits are in bytes. 65,535 is Milvus' maximum for a VarChar; chunks are far smaller.
    static final int TEXT_MAX_BYTES = 65_535;

    private MilvusCollection() {
    }

    /** Creates the collection if missing, else verifies it; then makes sure it is loaded for search. */
    static void ensure(MilvusClientV2 client, String name, int dimension) {
        if (Boolean.TRUE.equals(client.hasCollection(HasCollectionReq.builder().collectionName(name).build()))) {
            verify(client, name, dimension);
        } else {
            create(client, name, dimension);
        }
        // createCollection with index params loads the collection; an existing one may have been released.
        if (!Boolean.TRUE.equals(client.getLoadState(GetLoadStateReq.builder().collectionName(name).build()))) {
            client.loadCollection(LoadCollectionReq.builder().collectionName(name).build());
        }
    }

    private static void create(MilvusClientV2 client, String name, int dimension) {
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder()
                .enableDynamicField(false).build();
        schema.addField(varChar(ID, 512).isPrimaryKey(true).autoID(false).build());
        // Partition key: every search filters on the tenant, so Milvus only scans that tenant's partitions.
        schema.addField(varChar(TENANT, 256).isPartitionKey(true).build());
        schema.addField(varChar(SOURCE, 2048).build());
        schema.addField(varChar(TITLE, 2048).build());
        schema.addField(varChar(HEADING, 4096).build());
        schema.addField(varChar(TEXT, TEXT_MAX_BYTES).enableAnalyzer(true).build());
        schema.addField(AddFieldReq.builder().fieldName(ORDINAL).dataType(DataType.Int64).build());
        schema.addField(varChar(DOCUMENT_HASH, 256).build());
        schema.addField(AddFieldReq.builder().fieldName(VECTOR).dataType(DataType.FloatVector)
                .dimension(dimension).build());
        schema.addField(AddFieldReq.builder().fieldName(SPARSE).dataType(DataType.SparseFloatVector).build());
        // The server computes the sparse BM25 vector from `text` on insert and the query's from its raw text.
        schema.addFunction(CreateCollectionReq.Function.builder().name(BM25_FUNCTION)
                .functionType(FunctionType.BM25).inputFieldNames(List.of(TEXT))
                .outputFieldNames(List.of(SPARSE)).build());

        // Index params go inside createCollection: a separate createIndex with sync=true fails on Milvus Lite
        // (AllocTimestamp is unimplemented there). metricType is always set because Lite has no default.
        List<IndexParam> indexes = List.of(
                IndexParam.builder().fieldName(VECTOR).indexType(IndexParam.IndexType.HNSW)
                        .metricType(IndexParam.MetricType.COSINE).build(),
                IndexParam.builder().fieldName(SPARSE).indexType(IndexParam.IndexType.SPARSE_INVERTED_INDEX)
                        .metricType(IndexParam.MetricType.BM25).build());
        try {
            client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema)
                    .indexParams(indexes)
                    // A replace must be visible to the next search (ingest, then ask). Lite ignores this;
                    // real Milvus would otherwise serve Bounded-stale reads for a few seconds.
                    .consistencyLevel(ConsistencyLevel.STRONG).build());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot create Milvus collection " + name + " on server "
                    + serverVersion(client) + ": it needs the BM25 function and sparse vectors (Milvus >= 2.5): "
                    + e.getMessage(), e);
        }
    }

    private static void verify(MilvusClientV2 client, String name, int dimension) {
        CreateCollectionReq.CollectionSchema schema = client.describeCollection(
                DescribeCollectionReq.builder().collectionName(name).build()).getCollectionSchema();
        CreateCollectionReq.FieldSchema vector = schema.getField(VECTOR);
        if (vector == null || vector.getDataType() != DataType.FloatVector) {
            throw new IllegalStateException("Milvus collection " + name + " has no FloatVector field '" + VECTOR
                    + "'; it was not created by sextant");
        }
        if (vector.getDimension() == null || vector.getDimension() != dimension) {
            throw new IllegalStateException("Milvus collection " + name + " stores " + vector.getDimension()
                    + "-dimensional vectors but the store was configured for " + dimension
                    + " (a different embedding model?); use another collection name or drop it");
        }
        boolean bm25 = schema.getFunctionList() != null && schema.getFunctionList().stream()
                .anyMatch(f -> f.getFunctionType() == FunctionType.BM25
                        && f.getOutputFieldNames().contains(SPARSE));
        if (!bm25) {
            throw new IllegalStateException("Milvus collection " + name + " on server " + serverVersion(client)
                    + " has no BM25 function producing '" + SPARSE + "'; keyword and hybrid search need it");
        }
    }

    private static AddFieldReq.AddFieldReqBuilder<?> varChar(String field, int maxBytes) {
        return AddFieldReq.builder().fieldName(field).dataType(DataType.VarChar).maxLength(maxBytes);
    }

    static String serverVersion(MilvusClientV2 client) {
        try {
            return client.getServerVersion();
        } catch (RuntimeException e) {
            return "(version unknown: " + e.getMessage() + ")";
        }
    }

    /**
     * A Milvus expression string literal. Tenant and source values come from users and file names: an unescaped
     * quote would end the literal early and let the rest of the value rewrite the filter (cross-tenant reads).
     */
    static String literal(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
