package dev.sextant.rag.retrieve;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.rag.store.ChunkStore;
import java.util.Objects;

/** Finds the chunks most relevant to a query: embed it (unless keyword-only), then search the store. */
public final class Retriever {

    private final EmbeddingModel embeddings;
    private final ChunkStore store;

    public Retriever(EmbeddingModel embeddings, ChunkStore store) {
        this.embeddings = Objects.requireNonNull(embeddings);
        this.store = Objects.requireNonNull(store);
    }

    public RetrievalResult retrieve(RetrievalRequest request) {
        float[] vector = null;
        long tokens = 0;
        if (request.mode() != ChunkStore.SearchMode.KEYWORD) {
            var embedded = embeddings.embed(EmbeddingRequest.of(request.query()));
            vector = embedded.first();
            tokens = embedded.tokenCount();
        }
        var result = store.search(new ChunkStore.SearchRequest(request.tenant(), request.query(), vector,
                request.mode(), request.topK(), request.minScore()));
        return new RetrievalResult(result.matches(), tokens);
    }
}
