package dev.sextant.rag.store;

import dev.sextant.rag.chunk.Chunk;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where embedded chunks live. Documents are the unit of change: {@link #replace} swaps all chunks of a document at
 * once, so re-ingesting never leaves duplicates or a half-updated document. Every operation is scoped to a tenant.
 */
public interface ChunkStore {

    ReplaceResult replace(ReplaceRequest request);

    DeleteResult delete(DeleteRequest request);

    SearchResult search(SearchRequest request);

    /** Content hash of every stored document of a tenant, by source; ingestion skips documents whose hash is equal. */
    DocumentListing documents(DocumentListingRequest request);

    /** A chunk and its embedding. */
    record EmbeddedChunk(Chunk chunk, float[] vector) {
    }

    /** The new content of one document; an empty chunk list removes it. */
    record DocumentChunks(String tenant, String source, String documentHash, List<EmbeddedChunk> chunks) {
        public DocumentChunks {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(source, "source");
            chunks = List.copyOf(chunks);
        }
    }

    record ReplaceRequest(List<DocumentChunks> documents) {
        public ReplaceRequest {
            documents = List.copyOf(documents);
        }

        /**
         * What every store checks before its first write, so that a bad chunk never leaves earlier documents of the
         * request half-written: each vector has {@code dimension} values, each chunk belongs to its document.
         *
         * @param store how the message names the store ({@code store}, {@code Milvus collection x})
         * @throws IllegalArgumentException naming the first chunk that does not fit
         */
        public void check(int dimension, String store) {
            for (DocumentChunks doc : documents) {
                for (EmbeddedChunk c : doc.chunks()) {
                    checkDimension(c.vector(), dimension, store);
                    if (!c.chunk().tenant().equals(doc.tenant()) || !c.chunk().source().equals(doc.source())) {
                        throw new IllegalArgumentException("chunk " + c.chunk().id() + " does not belong to "
                                + doc.tenant() + "/" + doc.source());
                    }
                }
            }
        }
    }

    record ReplaceResult(int documents, int chunksWritten, int chunksRemoved) {
    }

    record DeleteRequest(String tenant, List<String> sources) {
        public DeleteRequest {
            Objects.requireNonNull(tenant, "tenant");
            sources = List.copyOf(sources);
        }
    }

    record DeleteResult(int chunksRemoved) {
    }

    /** How chunks are matched to a query. */
    enum SearchMode {
        /** Cosine similarity of embeddings. */
        DENSE,
        /** BM25 over the chunk text. */
        KEYWORD,
        /** Both, fused by reciprocal rank ({@link RankFusion}). */
        HYBRID
    }

    /**
     * @param queryText   the query as typed (for keyword matching)
     * @param queryVector its embedding (for dense matching); may be {@code null} for {@link SearchMode#KEYWORD}
     * @param minScore    dense matches with a cosine similarity below this are dropped (-1..1); keyword and fused
     *                    scores are on other scales and are not filtered by it
     */
    record SearchRequest(String tenant, String queryText, float[] queryVector, SearchMode mode, int topK,
                         double minScore) {
        public SearchRequest {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(mode, "mode");
            if (mode != SearchMode.KEYWORD) {
                Objects.requireNonNull(queryVector, "queryVector");
            }
            if (mode != SearchMode.DENSE && (queryText == null || queryText.isBlank())) {
                throw new IllegalArgumentException(mode + " search needs the query text");
            }
            if (topK < 1) {
                throw new IllegalArgumentException("topK must be positive, got " + topK);
            }
        }

        /**
         * Checks the query vector of a dense or hybrid search against the store's {@code dimension}.
         *
         * @param store how the message names the store
         */
        public void checkDimension(int dimension, String store) {
            if (mode != SearchMode.KEYWORD) {
                ChunkStore.checkDimension(queryVector, dimension, store);
            }
        }

        /** Dense search only. */
        public static SearchRequest dense(String tenant, float[] queryVector, int topK, double minScore) {
            return new SearchRequest(tenant, null, queryVector, SearchMode.DENSE, topK, minScore);
        }
    }

    record ScoredChunk(Chunk chunk, double score) {
    }

    /** Best first. */
    record SearchResult(List<ScoredChunk> matches) {
        public SearchResult {
            matches = List.copyOf(matches);
        }
    }

    /** Documents of a tenant: all of them, or only those of {@code sources} (those not stored are left out). */
    record DocumentListingRequest(String tenant, Set<String> sources) {
        public DocumentListingRequest {
            Objects.requireNonNull(tenant, "tenant");
            sources = Set.copyOf(sources);
        }

        public DocumentListingRequest(String tenant) {
            this(tenant, Set.of());
        }
    }

    record DocumentListing(Map<String, String> hashBySource) {
        public DocumentListing {
            hashBySource = Map.copyOf(hashBySource);
        }
    }

    private static void checkDimension(float[] vector, int dimension, String store) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector has " + vector.length + " dimensions, " + store + " expects "
                    + dimension);
        }
    }
}
