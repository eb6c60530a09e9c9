package dev.sextant.rag.rerank;

import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import dev.sextant.rag.store.lucene.ChunkAnalyzer;
import dev.sextant.rag.store.lucene.IdentifierAnalyzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * What a learned ranker knows of one candidate: how the two searches and their fusion ranked it, and which query
 * terms its title, headings and text contain. Every feature is on a 0..1 scale (the cosine gap on -2..0) and means
 * the same on any corpus: ranks and shares, not raw BM25, whose scale depends on the corpus' statistics.
 */
public final class RankingFeatures {

    /** Feature names, in the order of {@link #of}'s rows. */
    public static final List<String> NAMES = List.of("cosine", "cosine_gap", "dense_rr", "bm25", "keyword_rr",
            "fused_rr", "fused", "title_terms", "heading_terms", "text_terms", "identifiers", "page_chunks",
            "maxsim");
    public static final int MAXSIM = NAMES.indexOf("maxsim");

    private static final Analyzer WORDS = new ChunkAnalyzer();
    private static final Analyzer IDENTIFIERS = new IdentifierAnalyzer();
    /** Chunks of one page among the rankings that count fully; more add nothing. */
    private static final int PAGE_CHUNKS_CAP = 5;

    private RankingFeatures() {
    }

    /**
     * One row of {@link #NAMES} per candidate, in candidate order.
     *
     * @param maxSim the candidates' MaxSim scores, or {@code null} when not computed (the feature is 0)
     */
    public static double[][] of(Reranker.RerankRequest request, double[] maxSim) {
        List<ScoredChunk> candidates = request.candidates();
        Map<String, Integer> denseRank = ranks(request.dense());
        Map<String, Integer> keywordRank = ranks(request.keyword());
        double floorCosine = request.dense().isEmpty() ? 0 : request.dense().getLast().score();
        double bestCosine = request.dense().isEmpty() ? 0 : request.dense().getFirst().score();
        double bestBm25 = request.keyword().isEmpty() ? 1 : Math.max(1e-9, request.keyword().getFirst().score());
        double bestFused = candidates.isEmpty() ? 1 : Math.max(1e-12, candidates.getFirst().score());
        Map<String, Integer> pageChunks = new HashMap<>();
        Set<String> counted = new HashSet<>();
        for (List<ScoredChunk> ranking : List.of(request.dense(), request.keyword())) {
            for (ScoredChunk c : ranking) {
                if (counted.add(c.chunk().id())) {
                    pageChunks.merge(c.chunk().source(), 1, Integer::sum);
                }
            }
        }
        Set<String> queryWords = terms(WORDS, request.query());
        Set<String> queryIdentifiers = terms(IDENTIFIERS, request.query());
        double[][] rows = new double[candidates.size()][];
        for (int i = 0; i < rows.length; i++) {
            ScoredChunk c = candidates.get(i);
            Chunk chunk = c.chunk();
            double[] f = new double[NAMES.size()];
            Integer dr = denseRank.get(chunk.id());
            Integer kr = keywordRank.get(chunk.id());
            double cosine = dr != null ? request.dense().get(dr).score() : floorCosine;
            f[0] = cosine;
            f[1] = cosine - bestCosine;
            f[2] = dr != null ? 1.0 / (1 + dr) : 0;
            f[3] = kr != null ? request.keyword().get(kr).score() / bestBm25 : 0;
            f[4] = kr != null ? 1.0 / (1 + kr) : 0;
            f[5] = 1.0 / (1 + i);
            f[6] = c.score() / bestFused;
            f[7] = share(queryWords, terms(WORDS, chunk.title() == null ? "" : chunk.title()));
            f[8] = share(queryWords, terms(WORDS, String.join("\n", chunk.headingPath())));
            f[9] = share(queryWords, terms(WORDS, chunk.text()));
            f[10] = queryIdentifiers.isEmpty() ? 0 : share(queryIdentifiers, terms(IDENTIFIERS, chunk.keywordText()));
            f[11] = Math.min(PAGE_CHUNKS_CAP, pageChunks.getOrDefault(chunk.source(), 0)) / (double) PAGE_CHUNKS_CAP;
            f[12] = maxSim != null ? maxSim[i] : 0;
            rows[i] = f;
        }
        return rows;
    }

    private static Map<String, Integer> ranks(List<ScoredChunk> ranking) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < ranking.size(); i++) {
            out.putIfAbsent(ranking.get(i).chunk().id(), i);
        }
        return out;
    }

    /** Share of {@code wanted} found in {@code present}; 0 when nothing is wanted. */
    private static double share(Set<String> wanted, Set<String> present) {
        if (wanted.isEmpty()) {
            return 0;
        }
        int found = 0;
        for (String w : wanted) {
            if (present.contains(w)) {
                found++;
            }
        }
        return (double) found / wanted.size();
    }

    static Set<String> terms(Analyzer analyzer, String text) {
        Set<String> out = new HashSet<>();
        try (TokenStream stream = analyzer.tokenStream("body", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                out.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyze text", e);
        }
        return out;
    }
}
