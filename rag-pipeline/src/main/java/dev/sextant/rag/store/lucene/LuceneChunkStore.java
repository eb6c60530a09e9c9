package dev.sextant.rag.store.lucene;

import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.RankFusion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Chunks in a Lucene index: HNSW for dense search, BM25 for keyword search, persisted in a directory.
 *
 * <p>Another process (the ingest CLI) writes the same directory while the server searches it, and Lucene allows one
 * {@link IndexWriter} per directory ({@code write.lock}). So a writer is opened for each write request, commits once
 * (a reader sees all of a request or none of it) and is closed again; a busy lock is retried until a timeout.
 * Searches reopen the reader when a newer commit exists, which costs a directory listing when nothing changed.
 */
public final class LuceneChunkStore implements ChunkStore, AutoCloseable {

    /** Commit user data key holding the vector dimension, so a store for another model refuses the index. */
    static final String DIMENSION_KEY = "sextant.dimension";
    /** Commit user data key holding the {@link #LAYOUT} the documents were written with. */
    static final String LAYOUT_KEY = "sextant.layout";
    /**
     * Version of the document layout ({@link ChunkDocuments}). 1: keyword search over the body alone (no key in the
     * commit); 2: title, headings and whole identifiers analyzed too ({@link KeywordScoring}). Searching an index
     * of another layout would silently score its chunks differently, so the store refuses it, and callers keep
     * each layout in a directory of its own ({@link #directoryName}), so a new version builds a new index.
     */
    public static final int LAYOUT = 2;
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);
    private static final long LOCK_RETRY_MILLIS = 50;
    /**
     * Lucene's k is also the HNSW beam width, split pro rata across segments. Asking for 10 found 9.25 of the exact
     * top 10 on 2,000 random 384-dimensional vectors in four segments; asking for 100 and keeping 10 found all 10,
     * at no measurable cost at this size.
     */
    private static final int DENSE_CANDIDATES = 100;

    private final Path path;
    private final int dimension;
    private final Duration lockTimeout;
    private final Directory directory;
    private final Analyzer analyzer = ChunkDocuments.analyzer();
    private final SearcherManager searchers;
    /** Serializes this instance's writers; write.lock does the same across instances and processes. */
    private final Object writeMonitor;
    private final KeywordScoring scoring;
    /** False for a {@link #withKeywordScoring} view, which must not close what it shares. */
    private final boolean owner;

    public LuceneChunkStore(Path path, int dimension) {
        this(path, dimension, DEFAULT_LOCK_TIMEOUT);
    }

    public LuceneChunkStore(Path path, int dimension, Duration lockTimeout) {
        this.owner = true;
        this.scoring = KeywordScoring.DEFAULT;
        this.writeMonitor = new Object();
        if (dimension < 1 || dimension > KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS) {
            // Lucene's default codec caps HNSW fields at 1024 dimensions; fail here, not on the first write.
            throw new IllegalArgumentException("Lucene store supports 1.." + KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS
                    + " dimensions, got " + dimension);
        }
        this.path = path;
        this.dimension = dimension;
        this.lockTimeout = lockTimeout;
        try {
            Files.createDirectories(path);
            this.directory = FSDirectory.open(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open chunk index in " + path + ": " + e.getMessage(), e);
        }
        try {
            if (!DirectoryReader.indexExists(directory)) {
                // An empty first commit records the dimension and gives SearcherManager something to open.
                write((writer, before) -> null);
            }
            this.searchers = new SearcherManager(directory, new SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) throws IOException {
                    if (reader instanceof DirectoryReader dr) {
                        Map<String, String> data = dr.getIndexCommit().getUserData();
                        checkIndexDimension(data.get(DIMENSION_KEY));
                        checkLayout(data.get(LAYOUT_KEY), reader.numDocs());
                    }
                    return new TenantStatistics.Searcher(reader);
                }
            });
        } catch (IOException e) {
            closeQuietly(directory);
            throw new UncheckedIOException("cannot open chunk index in " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(directory);
            throw e;
        }
    }

    private LuceneChunkStore(LuceneChunkStore shared, KeywordScoring scoring) {
        this.owner = false;
        this.scoring = scoring;
        this.path = shared.path;
        this.dimension = shared.dimension;
        this.lockTimeout = shared.lockTimeout;
        this.directory = shared.directory;
        this.searchers = shared.searchers;
        this.writeMonitor = shared.writeMonitor;
    }

    /**
     * The same index searched with another keyword scoring (evaluations compare scorings on one index); closing
     * the view closes nothing, the store it came from stays the owner.
     */
    public LuceneChunkStore withKeywordScoring(KeywordScoring keywordScoring) {
        return new LuceneChunkStore(this, Objects.requireNonNull(keywordScoring, "keywordScoring"));
    }

    public KeywordScoring keywordScoring() {
        return scoring;
    }

    /** The directory name for an index of {@code name} (a model, a chunking) in the current {@link #LAYOUT}. */
    public static String directoryName(String name) {
        return name + "-layout" + LAYOUT;
    }

    @Override
    public ReplaceResult replace(ReplaceRequest request) {
        request.check(dimension, "store");
        return write((writer, before) -> {
            int removed = 0;
            int written = 0;
            Set<List<String>> seen = new HashSet<>();
            for (DocumentChunks doc : request.documents()) {
                Query existing = ChunkDocuments.tenantAndSource(doc.tenant(), doc.source());
                if (seen.add(List.of(doc.tenant(), doc.source()))) {
                    removed += before.count(existing);
                }
                // Buffered deletes apply to documents added earlier in this writer too: a source named twice in
                // one request keeps only its last content.
                writer.deleteDocuments(existing);
                for (EmbeddedChunk c : doc.chunks()) {
                    writer.addDocument(ChunkDocuments.toDocument(c.chunk(), c.vector()));
                    written++;
                }
            }
            return new ReplaceResult(request.documents().size(), written, removed);
        });
    }

    @Override
    public DeleteResult delete(DeleteRequest request) {
        if (request.sources().isEmpty()) {
            return new DeleteResult(0);
        }
        return write((writer, before) -> {
            int removed = 0;
            for (String source : new HashSet<>(request.sources())) {
                Query existing = ChunkDocuments.tenantAndSource(request.tenant(), source);
                removed += before.count(existing);
                writer.deleteDocuments(existing);
            }
            return new DeleteResult(removed);
        });
    }

    @Override
    public SearchResult search(SearchRequest request) {
        request.checkDimension(dimension, "store");
        return read(shared -> {
            IndexSearcher searcher = ((TenantStatistics.Searcher) shared).forTenant(request.tenant());
            return new SearchResult(switch (request.mode()) {
                case DENSE -> dense(searcher, request, request.topK());
                case KEYWORD -> keyword(searcher, request, request.topK());
                // Each list is cut deeper than topK so fusion can promote chunks ranked well by only one of them.
                case HYBRID -> RankFusion.fuse(List.of(dense(searcher, request, request.topK() * 4),
                        keyword(searcher, request, request.topK() * 4)), RankFusion.DEFAULT_K, request.topK());
            });
        });
    }

    private List<ScoredChunk> dense(IndexSearcher searcher, SearchRequest request, int topK) throws IOException {
        // The tenant filter is applied inside the HNSW walk (and Lucene switches to an exact scan when it matches
        // few chunks), so another tenant's nearer chunks can neither leak nor crowd this tenant's out of the top k.
        Query query = new KnnFloatVectorQuery(ChunkDocuments.VECTOR, request.queryVector(),
                Math.max(topK, DENSE_CANDIDATES), ChunkDocuments.tenant(request.tenant()));
        TopDocs top = searcher.search(query, topK);
        StoredFields stored = searcher.storedFields();
        List<ScoredChunk> out = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            // Lucene scores COSINE as (1 + cos) / 2 to keep scores non-negative; callers think in cosine.
            double cosine = 2.0 * hit.score - 1.0;
            if (cosine >= request.minScore()) {
                out.add(new ScoredChunk(ChunkDocuments.toChunk(stored.document(hit.doc)), cosine));
            }
        }
        return out;
    }

    private List<ScoredChunk> keyword(IndexSearcher searcher, SearchRequest request, int topK) throws IOException {
        Query query = KeywordQueries.build(scoring, analyzer, request.tenant(), request.queryText());
        if (query == null) {
            return List.of();
        }
        TopDocs top = searcher.search(query, topK);
        StoredFields stored = searcher.storedFields();
        List<ScoredChunk> out = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            out.add(new ScoredChunk(ChunkDocuments.toChunk(stored.document(hit.doc)), hit.score));
        }
        return out;
    }

    @Override
    public DocumentListing documents(DocumentListingRequest request) {
        Query query = request.sources().isEmpty() ? ChunkDocuments.tenant(request.tenant())
                : ChunkDocuments.tenantAndSources(request.tenant(), request.sources());
        return read(searcher -> new DocumentListing(searcher.search(query, new HashCollectorManager())));
    }

    /** Number of chunks of all tenants. */
    public int size() {
        return read(searcher -> searcher.getIndexReader().numDocs());
    }

    /** Chunks grouped by source, for tests and tools. */
    public Map<String, List<Chunk>> chunksBySource(String tenant) {
        return read(searcher -> {
            TopDocs all = searcher.search(ChunkDocuments.tenant(tenant),
                    Math.max(1, searcher.getIndexReader().numDocs()));
            StoredFields stored = searcher.storedFields();
            Map<String, List<Chunk>> out = new HashMap<>();
            for (ScoreDoc hit : all.scoreDocs) {
                Chunk chunk = ChunkDocuments.toChunk(stored.document(hit.doc));
                out.computeIfAbsent(chunk.source(), s -> new ArrayList<>()).add(chunk);
            }
            return out;
        });
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        synchronized (writeMonitor) {
            try {
                searchers.close();
                directory.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close chunk index in " + path, e);
            } finally {
                analyzer.close();
            }
        }
    }

    private interface ReadOp<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private interface WriteOp<T> {
        /** @param before a searcher on the latest commit, which cannot change while this writer holds the lock */
        T apply(IndexWriter writer, IndexSearcher before) throws IOException;
    }

    private <T> T read(ReadOp<T> op) {
        try {
            // Blocking, so a search right after a commit (by this process or another) sees it.
            searchers.maybeRefreshBlocking();
            IndexSearcher searcher = searchers.acquire();
            try {
                return op.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search chunk index in " + path + ": " + e.getMessage(), e);
        }
    }

    private <T> T write(WriteOp<T> op) {
        synchronized (writeMonitor) {
            try {
                IndexWriter writer = openWriter();
                T result;
                try {
                    Map<String, String> data = commitData(writer);
                    checkIndexDimension(data.get(DIMENSION_KEY));
                    checkLayout(data.get(LAYOUT_KEY), writer.getDocStats().numDocs);
                    // Counting on the writer's own view, which is the last commit: nobody else can commit while we
                    // hold the lock.
                    try (DirectoryReader before = DirectoryReader.open(writer)) {
                        result = op.apply(writer, new IndexSearcher(before));
                    }
                    writer.setLiveCommitData(Map.of(DIMENSION_KEY, Integer.toString(dimension),
                            LAYOUT_KEY, Integer.toString(LAYOUT)).entrySet());
                    writer.commit();
                } catch (IOException | RuntimeException | Error e) {
                    writer.rollback(); // also releases write.lock
                    throw e;
                }
                // close() waits for the merges the commit started (rollback would abort them and segments would
                // pile up across writes) and then releases write.lock for the other process.
                writer.close();
                if (searchers != null) { // null only for the constructor's first, empty commit
                    searchers.maybeRefreshBlocking();
                }
                return result;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write chunk index in " + path + ": " + e.getMessage(), e);
            }
        }
    }

    private IndexWriter openWriter() throws IOException {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        while (true) {
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            try {
                return new IndexWriter(directory, config);
            } catch (LockObtainFailedException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("chunk index in " + path + " is locked by another writer ("
                            + IndexWriter.WRITE_LOCK_NAME + " held for over " + lockTimeout.toMillis()
                            + " ms); is another ingest running?", e);
                }
            }
            try {
                Thread.sleep(LOCK_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the write lock of " + path, e);
            }
        }
    }

    private static Map<String, String> commitData(IndexWriter writer) {
        Map<String, String> data = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(e -> data.put(e.getKey(), e.getValue()));
        }
        return data;
    }

    /** @param stored the dimension recorded in the commit; absent only before the first commit */
    private void checkIndexDimension(String stored) {
        if (stored != null && !stored.equals(Integer.toString(dimension))) {
            throw new IllegalStateException("chunk index in " + path + " holds " + stored + "-dimensional vectors "
                    + "but the embedding model has " + dimension + "; re-ingest into a new data dir");
        }
    }

    /**
     * @param stored the layout recorded in the commit; absent for layout 1
     * @param docs   chunks in the index: an empty index (an older version's first commit) takes any layout
     */
    private void checkLayout(String stored, int docs) {
        String layout = stored != null ? stored : "1";
        if (docs > 0 && !layout.equals(Integer.toString(LAYOUT))) {
            throw new IllegalStateException("chunk index in " + path + " has document layout " + layout
                    + " but this version reads and writes layout " + LAYOUT + "; re-ingest into a new directory");
        }
    }

    private static void closeQuietly(Directory directory) {
        try {
            directory.close();
        } catch (IOException ignored) {
            // Already failing with the more useful exception.
        }
    }

    /** source -> documentHash of one tenant, read from doc values. */
    private static final class HashCollectorManager
            implements CollectorManager<HashCollectorManager.HashCollector, Map<String, String>> {

        @Override
        public HashCollector newCollector() {
            return new HashCollector();
        }

        @Override
        public Map<String, String> reduce(Collection<HashCollector> collectors) {
            Map<String, String> out = new LinkedHashMap<>();
            collectors.forEach(c -> c.hashes.forEach(out::putIfAbsent));
            return out;
        }

        static final class HashCollector extends SimpleCollector {
            final Map<String, String> hashes = new LinkedHashMap<>();
            private SortedDocValues sources;
            private SortedDocValues documentHashes;

            @Override
            protected void doSetNextReader(LeafReaderContext context) throws IOException {
                sources = DocValues.getSorted(context.reader(), ChunkDocuments.SOURCE);
                documentHashes = DocValues.getSorted(context.reader(), ChunkDocuments.DOCUMENT_HASH);
            }

            @Override
            public void collect(int doc) throws IOException {
                if (sources.advanceExact(doc) && documentHashes.advanceExact(doc)) {
                    hashes.putIfAbsent(sources.lookupOrd(sources.ordValue()).utf8ToString(),
                            documentHashes.lookupOrd(documentHashes.ordValue()).utf8ToString());
                }
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        }
    }
}
