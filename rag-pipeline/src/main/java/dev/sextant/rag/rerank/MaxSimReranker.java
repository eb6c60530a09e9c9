package dev.sextant.rag.rerank;

import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.TokenEmbeddings;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Late interaction (ColBERT's MaxSim) over the embedder's own token vectors: each query token is matched to its most
 * similar token of the chunk, and the chunk scores the mean of those best similarities. Unlike the pooled vector,
 * this keeps which query words found a match, so a chunk that matches every part of the question beats one that
 * matches its gist.
 *
 * <p>The chunks' token vectors are computed per query (a vector per token of every chunk would take about 3.5 GB for
 * 25,000 chunks as floats), for the candidates only: that cost is the reranker's latency.
 */
public final class MaxSimReranker implements Reranker {

    private final TokenEmbeddings tokens;

    public MaxSimReranker(TokenEmbeddings tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public RerankResult rerank(RerankRequest request) {
        List<ScoredChunk> candidates = request.candidates();
        if (candidates.isEmpty()) {
            return new RerankResult(List.of());
        }
        double[] scores = scores(request.query(), candidates);
        List<ScoredChunk> out = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            out.add(new ScoredChunk(candidates.get(i).chunk(), scores[i]));
        }
        return new RerankResult(PageOrder.of(out));
    }

    /** MaxSim of the query against each chunk's {@code embeddingText()}, in candidate order. */
    public double[] scores(String query, List<ScoredChunk> candidates) {
        List<String> texts = new ArrayList<>(candidates.size() + 1);
        texts.add(query);
        candidates.forEach(c -> texts.add(c.chunk().embeddingText()));
        List<float[][]> vectors = tokens.embedTokens(new EmbeddingRequest(texts)).texts();
        float[][] q = vectors.get(0);
        double[] scores = new double[candidates.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = maxSim(q, vectors.get(i + 1));
        }
        return scores;
    }

    /** Mean over query tokens of the best cosine with any document token; 0 when either side has no tokens. */
    static double maxSim(float[][] query, float[][] doc) {
        if (query.length == 0 || doc.length == 0) {
            return 0;
        }
        double sum = 0;
        for (float[] q : query) {
            double best = -1;
            for (float[] d : doc) {
                double dot = 0;
                for (int k = 0; k < q.length; k++) {
                    dot += q[k] * d[k];
                }
                best = Math.max(best, dot);
            }
            sum += best;
        }
        return sum / query.length;
    }
}
