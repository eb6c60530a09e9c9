package dev.sextant.rag.store.milvus;

import static dev.sextant.rag.store.milvus.MilvusCollection.DOCUMENT_HASH;
import static dev.sextant.rag.store.milvus.MilvusCollection.HEADING;
import static dev.sextant.rag.store.milvus.MilvusCollection.ID;
import static dev.sextant.rag.store.milvus.MilvusCollection.ORDINAL;
import static dev.sextant.rag.store.milvus.MilvusCollection.OUTPUT_FIELDS;
import static dev.sextant.rag.store.milvus.MilvusCollection.SOURCE;
import static dev.sextant.rag.store.milvus.MilvusCollection.SPARSE;
import static dev.sextant.rag.store.milvus.MilvusCollection.TENANT;
import static dev.sextant.rag.store.milvus.MilvusCollection.TEXT;
import static dev.sextant.rag.store.milvus.MilvusCollection.TITLE;
import static dev.sextant.rag.store.milvus.MilvusCollection.VECTOR;
import static dev.sextant.rag.store.milvus.MilvusCollection.literal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.RankFusion;
import io.milvus.orm.iterator.QueryIterator;
import io.milvus.response.QueryResultsWrapper;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.vector.request.AnnSearchReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.HybridSearchReq;
import io.milvus.v2.service.vector.request.QueryIteratorReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.BaseVector;
import io.milvus.v2.service.vector.request.data.EmbeddedText;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.request.ranker.RRFRanker;
import io.milvus.v2.service.vector.response.SearchResp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Chunks in a Milvus collection (see {@link MilvusCollection} for the schema): dense search on an HNSW/COSINE
 * index, keyword search on a server-side BM25 sparse vector of the chunk text, hybrid by Milvus' RRF ranker.
 *
 * <p>Milvus has no multi-statement transactions. {@link #replace} therefore upserts the new chunks by primary key
 * first and only then deletes the document's chunks whose ids are not in the new set: a concurrent reader sees the
 * old version, a mix of old and new chunks for the moment between the two calls, or the new version, but never a
 * document that is missing altogether. Re-running a replace with the same ids overwrites rows and never duplicates.
 * The mixed moment lasts one delete call (plus the upserts of later batches for documents over 256 chunks); during
 * it {@link #documents} may report either hash. If the process dies between upsert and delete, stale chunks stay
 * until the document is replaced again, which then removes them. One writer per document is assumed (two concurrent
 * replaces of one document may leave the union). Milvus Lite needs no flush or load for a write to be searchable;
 * real Milvus needs Strong consistency, which the collection is created with.
 */
public final class MilvusChunkStore implements ChunkStore, AutoCloseable {

    /** Rows per upsert call: keeps a request well under gRPC's message limit even with long chunks. */
    private static final int WRITE_BATCH = 256;
    /** Ids per delete call, so the request stays small. */
    private static final int DELETE_BATCH = 1000;
    private static final int QUERY_BATCH = 1000;
    /** Hybrid search cuts each list deeper than topK so fusion can promote chunks ranked well by one list only. */
    private static final int HYBRID_DEPTH = 4;
    /** Separates heading path elements in the one `heading` VarChar; a control character never in a heading. */
    private static final String HEADING_SEPARATOR = "\u001f";

    private final MilvusClientV2 client;
    private final boolean ownsClient;
    private final String collection;
    private final int dimension;

    /** Connects to {@code uri} and uses (or creates) {@link #defaultCollectionName(int)}. */
    public static MilvusChunkStore connect(String uri, int dimension) {
        return connect(uri, defaultCollectionName(dimension), dimension);
    }

    public static MilvusChunkStore connect(String uri, String collection, int dimension) {
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(uri).build());
        try {
            return new MilvusChunkStore(client, true, collection, dimension);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Uses a client owned by the caller; {@link #close()} leaves it open. */
    public MilvusChunkStore(MilvusClientV2 client, String collection, int dimension) {
        this(client, false, collection, dimension);
    }

    private MilvusChunkStore(MilvusClientV2 client, boolean ownsClient, String collection, int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.collection = Objects.requireNonNull(collection, "collection");
        this.dimension = dimension;
        MilvusCollection.ensure(client, collection, dimension);
    }

    /** One collection per embedding dimension, so switching models never mixes vector spaces. */
    public static String defaultCollectionName(int dimension) {
        return "sextant_chunks_" + dimension;
    }

    public String collectionName() {
        return collection;
    }

    @Override
    public ReplaceResult replace(ReplaceRequest request) {
        // Validate everything before the first write: a bad chunk must not leave earlier documents half-done.
        request.check(dimension, "Milvus collection " + collection);
        for (DocumentChunks doc : request.documents()) {
            doc.chunks().forEach(c -> checkId(c.chunk().id()));
        }
        int written = 0;
        int removed = 0;
        for (DocumentChunks doc : request.documents()) {
            List<String> before = ids(documentFilter(doc.tenant(), List.of(doc.source())));
            List<JsonObject> rows = new ArrayList<>(doc.chunks().size());
            Set<String> newIds = new HashSet<>();
            for (EmbeddedChunk c : doc.chunks()) {
                rows.add(row(c));
                newIds.add(c.chunk().id());
            }
            for (int from = 0; from < rows.size(); from += WRITE_BATCH) {
                client.upsert(UpsertReq.builder().collectionName(collection)
                        .data(rows.subList(from, Math.min(rows.size(), from + WRITE_BATCH))).build());
            }
            deleteIds(before.stream().filter(id -> !newIds.contains(id)).toList());
            written += rows.size();
            // Same count as the reference store: every chunk the old version had is gone (replaced or deleted).
            removed += before.size();
        }
        return new ReplaceResult(request.documents().size(), written, removed);
    }

    @Override
    public DeleteResult delete(DeleteRequest request) {
        if (request.sources().isEmpty()) {
            return new DeleteResult(0);
        }
        // Ids first, then delete by id: the count is exact on every server (delete-by-filter counts differ).
        List<String> ids = ids(documentFilter(request.tenant(), request.sources()));
        deleteIds(ids);
        return new DeleteResult(ids.size());
    }

    @Override
    public SearchResult search(SearchRequest request) {
        request.checkDimension(dimension, "Milvus collection " + collection);
        String filter = tenantFilter(request.tenant());
        return new SearchResult(switch (request.mode()) {
            case DENSE -> dense(request, filter);
            case KEYWORD -> keyword(request, filter);
            case HYBRID -> hybrid(request, filter);
        });
    }

    private List<ScoredChunk> dense(SearchRequest request, String filter) {
        SearchResp resp = client.search(SearchReq.builder().collectionName(collection).annsField(VECTOR)
                .metricType(IndexParam.MetricType.COSINE).filter(filter)
                .data(List.of(new FloatVec(request.queryVector()))).limit(request.topK())
                .outputFields(OUTPUT_FIELDS).build());
        // COSINE scores are the similarity itself (-1..1), the scale minScore is defined on.
        return matches(resp).stream().filter(m -> m.score() >= request.minScore()).toList();
    }

    private List<ScoredChunk> keyword(SearchRequest request, String filter) {
        SearchResp resp = client.search(SearchReq.builder().collectionName(collection).annsField(SPARSE)
                .metricType(IndexParam.MetricType.BM25).filter(filter)
                .data(List.of(new EmbeddedText(request.queryText()))).limit(request.topK())
                .outputFields(OUTPUT_FIELDS).build());
        // Milvus Lite 3.2.2 reports BM25 hits with its internal distance (-score); real Milvus with the score.
        // BM25 scores are never negative, so the absolute value is the score on both.
        return matches(resp).stream().map(m -> new ScoredChunk(m.chunk(), Math.abs(m.score())))
                .filter(m -> m.score() > 0).toList();
    }

    private List<ScoredChunk> hybrid(SearchRequest request, String filter) {
        long depth = (long) request.topK() * HYBRID_DEPTH;
        AnnSearchReq.AnnSearchReqBuilder dense = AnnSearchReq.builder().vectorFieldName(VECTOR)
                .metricType(IndexParam.MetricType.COSINE).filter(filter).limit(depth)
                .vectors(List.<BaseVector>of(new FloatVec(request.queryVector())));
        if (request.minScore() > -1 && Double.isFinite(request.minScore())) {
            // Like the reference store, weak dense matches are dropped before fusion, not after: the server does
            // it as a range search (COSINE: score > radius; exclusive, unlike the >= of dense mode).
            dense.params("{\"radius\": " + request.minScore() + "}");
        }
        AnnSearchReq sparse = AnnSearchReq.builder().vectorFieldName(SPARSE)
                .metricType(IndexParam.MetricType.BM25).filter(filter).limit(depth)
                .vectors(List.<BaseVector>of(new EmbeddedText(request.queryText()))).build();
        SearchResp resp = client.hybridSearch(HybridSearchReq.builder().collectionName(collection)
                .searchRequests(List.of(dense.build(), sparse))
                .ranker(RRFRanker.builder().k(RankFusion.DEFAULT_K).build())
                .limit(request.topK()).outFields(OUTPUT_FIELDS).build());
        return matches(resp);
    }

    private static List<ScoredChunk> matches(SearchResp resp) {
        if (resp.getSearchResults() == null || resp.getSearchResults().isEmpty()) {
            return List.of();
        }
        List<ScoredChunk> out = new ArrayList<>();
        for (SearchResp.SearchResult hit : resp.getSearchResults().get(0)) {
            out.add(new ScoredChunk(chunk(hit.getEntity()), hit.getScore()));
        }
        return out;
    }

    @Override
    public DocumentListing documents(DocumentListingRequest request) {
        Map<String, String> hashes = new LinkedHashMap<>();
        String filter = request.sources().isEmpty() ? tenantFilter(request.tenant())
                : documentFilter(request.tenant(), List.copyOf(request.sources()));
        iterate(filter, List.of(SOURCE, DOCUMENT_HASH),
                r -> hashes.putIfAbsent(string(r.get(SOURCE)), string(r.get(DOCUMENT_HASH))));
        return new DocumentListing(hashes);
    }

    /** Closes the client if this store opened it. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    private List<String> ids(String filter) {
        List<String> ids = new ArrayList<>();
        iterate(filter, List.of(ID), r -> ids.add(string(r.get(ID))));
        return ids;
    }

    /**
     * Visits every row matching the filter. A query iterator pages by primary key, so unlike limit/offset it is
     * not capped at Milvus' 16,384-row query window.
     */
    private void iterate(String filter, List<String> fields, Consumer<QueryResultsWrapper.RowRecord> visitor) {
        QueryIterator it = client.queryIterator(QueryIteratorReq.builder().collectionName(collection)
                .expr(filter).outputFields(fields).batchSize(QUERY_BATCH).build());
        try {
            for (List<QueryResultsWrapper.RowRecord> page = it.next(); !page.isEmpty(); page = it.next()) {
                page.forEach(visitor);
            }
        } finally {
            it.close();
        }
    }

    private void deleteIds(List<String> ids) {
        for (int from = 0; from < ids.size(); from += DELETE_BATCH) {
            client.delete(DeleteReq.builder().collectionName(collection)
                    .ids(new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + DELETE_BATCH)))).build());
        }
    }

    private static String tenantFilter(String tenant) {
        return TENANT + " == " + literal(tenant);
    }

    private static String documentFilter(String tenant, List<String> sources) {
        StringBuilder sb = new StringBuilder(tenantFilter(tenant)).append(" and ").append(SOURCE).append(" in [");
        for (int i = 0; i < sources.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(literal(sources.get(i)));
        }
        return sb.append(']').toString();
    }

    private static JsonObject row(EmbeddedChunk c) {
        Chunk chunk = c.chunk();
        JsonObject row = new JsonObject();
        row.addProperty(ID, chunk.id());
        row.addProperty(TENANT, chunk.tenant());
        row.addProperty(SOURCE, chunk.source());
        row.addProperty(TITLE, Objects.toString(chunk.title(), ""));
        row.addProperty(HEADING, String.join(HEADING_SEPARATOR, chunk.headingPath()));
        row.addProperty(TEXT, chunk.text());
        row.addProperty(ORDINAL, chunk.ordinal());
        row.addProperty(DOCUMENT_HASH, Objects.toString(chunk.documentHash(), ""));
        JsonArray vector = new JsonArray(c.vector().length);
        for (float f : c.vector()) {
            vector.add(f);
        }
        row.add(VECTOR, vector);
        return row;
    }

    private static Chunk chunk(Map<String, Object> e) {
        String heading = string(e.get(HEADING));
        List<String> headingPath = heading.isEmpty() ? List.of() : Arrays.asList(heading.split(HEADING_SEPARATOR, -1));
        String hash = string(e.get(DOCUMENT_HASH));
        return new Chunk(string(e.get(ID)), string(e.get(TENANT)), string(e.get(SOURCE)), string(e.get(TITLE)),
                headingPath, string(e.get(TEXT)), ((Number) e.get(ORDINAL)).intValue(), hash.isEmpty() ? null : hash);
    }

    private static String string(Object value) {
        return value == null ? "" : value.toString();
    }

    /**
     * The SDK's query iterator pages with {@code id > "<last id>"} without escaping the id, so an id with a quote or
     * backslash would break listing (or rewrite its filter). The splitter's ids are hex; anything else is refused.
     */
    private static void checkId(String id) {
        if (id.isEmpty() || id.indexOf('"') >= 0 || id.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("chunk id '" + id + "' cannot be stored in Milvus: ids must be "
                    + "non-empty and contain no quote or backslash");
        }
    }
}
