package dev.sextant.rag.store;

import dev.sextant.rag.chunk.Chunk;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    /**
     * @param minScore results scoring below this are dropped (cosine similarity, -1..1)
     */
    record SearchRequest(String tenant, float[] queryVector, int topK, double minScore) {
        public SearchRequest {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(queryVector, "queryVector");
            if (topK < 1) {
                throw new IllegalArgumentException("topK must be positive, got " + topK);
            }
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

    record DocumentListingRequest(String tenant) {
    }

    record DocumentListing(Map<String, String> hashBySource) {
        public DocumentListing {
            hashBySource = Map.copyOf(hashBySource);
        }
    }
}
