package dev.sextant.rag.retrieve;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.rag.store.ChunkStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Finds the chunks most relevant to a query: embed it (unless keyword-only), then search the store. */
public final class Retriever {

    private static final int OVERFETCH = 4;
    private static final int MAX_FETCH = 200;

    private final EmbeddingModel embeddings;
    private final ChunkStore store;

    public Retriever(EmbeddingModel embeddings, ChunkStore store) {
        this.embeddings = Objects.requireNonNull(embeddings);
        this.store = Objects.requireNonNull(store);
    }

    public RetrievalResult retrieve(RetrievalRequest request) {
        float[] vector = null;
        long tokens = 0;
        if (request.queryVector() != null) {
            vector = request.queryVector();
        } else if (request.mode() != ChunkStore.SearchMode.KEYWORD) {
            var embedded = embeddings.embed(EmbeddingRequest.of(request.query()));
            vector = embedded.first();
            tokens = embedded.tokenCount();
        }
        // With a per-source limit, fetch more so that dropping a source's extra chunks still leaves topK.
        int fetch = request.maxPerSource() == 0 ? request.topK() : Math.min(MAX_FETCH, request.topK() * OVERFETCH);
        var result = store.search(new ChunkStore.SearchRequest(request.tenant(), request.query(), vector,
                request.mode(), fetch, request.minScore()));
        return new RetrievalResult(limitPerSource(result.matches(), request), tokens);
    }

    private static List<ChunkStore.ScoredChunk> limitPerSource(List<ChunkStore.ScoredChunk> matches,
                                                               RetrievalRequest request) {
        if (request.maxPerSource() == 0) {
            return matches;
        }
        Map<String, Integer> perSource = new HashMap<>();
        List<ChunkStore.ScoredChunk> kept = new ArrayList<>();
        for (ChunkStore.ScoredChunk match : matches) {
            if (kept.size() == request.topK()) {
                break;
            }
            if (perSource.merge(match.chunk().source(), 1, Integer::sum) <= request.maxPerSource()) {
                kept.add(match);
            }
        }
        return kept;
    }
}
