package dev.sextant.bench.ingest;

import dev.sextant.rag.chunk.ChunkLimits;
import dev.sextant.rag.chunk.TokenCounter;
import java.util.List;

/**
 * Chunk sizes, counted after the clock stopped with the MiniLM tokenizer for both engines (LangChain4j's
 * HuggingFaceTokenCountEstimator uses the same BERT uncased vocabulary).
 *
 * @param meanEmbeddedTokens what the encoder reads per chunk: [CLS] + the embedded text + [SEP], cut at the
 *                           model's limit (sextant embeds title and headings before the chunk text)
 * @param truncated          chunks whose embedded text the encoder cut off at the model's limit
 */
public record ChunkStats(double meanChars, double meanTokens, double meanEmbeddedTokens, int truncated) {

    /** For rounds that are not measured (warm-up). */
    public static final ChunkStats NONE = new ChunkStats(0, 0, 0, 0);

    /**
     * @param texts       each chunk's text
     * @param embedded    what was embedded for each chunk, in the same order
     * @param modelTokens the longest input the encoder reads, special tokens included
     */
    public static ChunkStats of(List<String> texts, List<String> embedded, TokenCounter counter, int modelTokens) {
        if (texts.size() != embedded.size()) {
            throw new IllegalArgumentException(texts.size() + " chunk texts but " + embedded.size() + " embedded");
        }
        if (texts.isEmpty()) {
            return NONE;
        }
        long chars = 0;
        long tokens = 0;
        long read = 0;
        int truncated = 0;
        for (int i = 0; i < texts.size(); i++) {
            chars += texts.get(i).length();
            tokens += counter.count(texts.get(i));
            int withSpecials = counter.count(embedded.get(i)) + ChunkLimits.SPECIAL_TOKENS;
            read += Math.min(withSpecials, modelTokens);
            truncated += withSpecials > modelTokens ? 1 : 0;
        }
        double n = texts.size();
        return new ChunkStats(chars / n, tokens / n, read / n, truncated);
    }
}
