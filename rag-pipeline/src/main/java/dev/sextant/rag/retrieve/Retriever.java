package dev.sextant.rag.retrieve;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.rag.store.ChunkStore;
import java.util.Objects;

/** Finds the chunks most relevant to a query: embed the query, then search the store (dense only for now). */
public final class Retriever {

    private final EmbeddingModel embeddings;
    private final ChunkStore store;

    public Retriever(EmbeddingModel embeddings, ChunkStore store) {
        this.embeddings = Objects.requireNonNull(embeddings);
        this.store = Objects.requireNonNull(store);
    }

    public RetrievalResult retrieve(RetrievalRequest request) {
        var embedded = embeddings.embed(EmbeddingRequest.of(request.query()));
        var result = store.search(new ChunkStore.SearchRequest(request.tenant(), embedded.first(), request.topK(),
                request.minScore()));
        return new RetrievalResult(result.matches(), embedded.tokenCount());
    }
}
