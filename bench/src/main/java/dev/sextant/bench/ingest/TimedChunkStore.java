package dev.sextant.bench.ingest;

import dev.sextant.rag.store.ChunkStore;

/** Times the store's writes (replace: Lucene adds, HNSW inserts, commit, merges) and its listing. */
record TimedChunkStore(ChunkStore delegate, PhaseTimes phases) implements ChunkStore {

    @Override
    public ReplaceResult replace(ReplaceRequest request) {
        long t = System.nanoTime();
        try {
            return delegate.replace(request);
        } finally {
            phases.store += System.nanoTime() - t;
        }
    }

    @Override
    public DeleteResult delete(DeleteRequest request) {
        long t = System.nanoTime();
        try {
            return delegate.delete(request);
        } finally {
            phases.store += System.nanoTime() - t;
        }
    }

    @Override
    public SearchResult search(SearchRequest request) {
        return delegate.search(request);
    }

    @Override
    public DocumentListing documents(DocumentListingRequest request) {
        long t = System.nanoTime();
        try {
            return delegate.documents(request);
        } finally {
            phases.store += System.nanoTime() - t;
        }
    }
}
