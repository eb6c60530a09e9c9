package dev.sextant.router.resilience;

import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;
import dev.sextant.rag.retrieve.RetrievalRequest;
import dev.sextant.rag.retrieve.RetrievalResult;
import dev.sextant.rag.retrieve.Retriever;
import dev.sextant.rag.store.ChunkStore;

/**
 * Retrieval behind one guard per hop, none inside another: the query is embedded through the
 * {@link Hop#EMBEDDINGS} guard (unless the caller has its vector already or searches by keyword only), then the
 * store is searched through the {@link Hop#RETRIEVAL} guard with that vector. A failing embeddings service so counts
 * against the embeddings breaker only, and is retried by its own hop only.
 */
public final class GuardedRetriever {

    private final Retriever retriever;
    private final GuardedEmbeddingModel embeddings;
    private final Hops hops;

    public GuardedRetriever(Retriever retriever, GuardedEmbeddingModel embeddings, Hops hops) {
        this.retriever = retriever;
        this.embeddings = embeddings;
        this.hops = hops;
    }

    public RetrievalResult retrieve(RetrievalRequest request) {
        if (request.queryVector() != null || request.mode() == ChunkStore.SearchMode.KEYWORD) {
            return hops.call(Hop.RETRIEVAL, RetrievalResult.class, () -> retriever.retrieve(request));
        }
        EmbeddingResult embedded = embeddings.embed(EmbeddingRequest.of(request.query()));
        RetrievalRequest withVector = request.withQueryVector(embedded.first());
        RetrievalResult result = hops.call(Hop.RETRIEVAL, RetrievalResult.class,
                () -> retriever.retrieve(withVector));
        return new RetrievalResult(result.matches(), embedded.tokenCount(), result.evidence());
    }
}
