package dev.sextant.rag.chunk;

import java.util.Objects;

/**
 * Chunk size limits, in the units of a {@link TokenCounter}, and what the embedder reads with each chunk.
 *
 * <p>With a model window ({@code modelTokens > 0}) every chunk's embedding input fits it by construction: the
 * splitter gives each section's chunks at most {@link #textTokens(int) textTokens(prefix)} tokens of text, so that
 * prefix line + text + {@value #SPECIAL_TOKENS} special tokens is at most {@code modelTokens}, and shortens a prefix
 * line longer than {@link #maxPrefixTokens()}. Without one ({@code modelTokens == 0}: characters, or a model of
 * unknown length) the text gets {@code maxTokens} and the prefix line is taken whole.
 *
 * @param maxTokens     upper bound for a chunk's text; only a single character that alone counts more than this
 *                      (possible with byte-level tokenizers and a tiny limit) makes a longer chunk
 * @param overlapTokens upper bound for the whole words a chunk repeats from the end of the previous chunk of the same
 *                      section; 0 for none
 * @param modelTokens   the longest input the embedding model reads, special tokens included (128 for MiniLM); 0 when
 *                      unknown
 * @param headingPrefix what goes on the line before the text in the embedder's input
 */
public record ChunkLimits(int maxTokens, int overlapTokens, int modelTokens, HeadingPrefix headingPrefix) {

    /** Tokens an encoder adds to every input: {@code [CLS]} and {@code [SEP]} (BERT-style models, all shipped). */
    public static final int SPECIAL_TOKENS = 2;
    /**
     * The prefix of the application and of the evaluation. On the PostgreSQL corpus (eval/corpora/postgresql-15) the
     * title and innermost heading retrieve as well as the whole path in hybrid mode (recall@5 0.87 both, MRR@10 0.763
     * vs 0.762) for fewer tokens; no prefix at all loses a lot (dense recall@5 0.79 vs 0.91-0.93).
     */
    public static final HeadingPrefix DEFAULT_HEADING_PREFIX = HeadingPrefix.NEAREST;

    public ChunkLimits {
        Objects.requireNonNull(headingPrefix, "headingPrefix");
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= maxTokens) {
            throw new IllegalArgumentException("overlapTokens must be in [0, maxTokens = " + maxTokens + "), got "
                    + overlapTokens);
        }
        if (modelTokens != 0 && modelTokens <= SPECIAL_TOKENS + 1) {
            throw new IllegalArgumentException("modelTokens must be 0 (unknown) or more than " + (SPECIAL_TOKENS + 1)
                    + ", got " + modelTokens);
        }
        int fewest = modelTokens == 0 ? maxTokens
                : Math.min(maxTokens, modelTokens - SPECIAL_TOKENS
                        - (headingPrefix == HeadingPrefix.NONE ? 0 : (modelTokens - SPECIAL_TOKENS) / 3));
        if (overlapTokens >= fewest) {
            throw new IllegalArgumentException("overlapTokens must be smaller than the " + fewest + " tokens of text "
                    + "a chunk may be left with next to the longest prefix line in a " + modelTokens
                    + "-token model input, got " + overlapTokens);
        }
    }

    /** No model window (the prefix line is not budgeted), the default prefix: sizes in characters or unknown models. */
    public ChunkLimits(int maxTokens, int overlapTokens) {
        this(maxTokens, overlapTokens, 0, DEFAULT_HEADING_PREFIX);
    }

    /** The default prefix, fitted into a model input of {@code modelTokens}. */
    public ChunkLimits(int maxTokens, int overlapTokens, int modelTokens) {
        this(maxTokens, overlapTokens, modelTokens, DEFAULT_HEADING_PREFIX);
    }

    /** These limits with another prefix policy. */
    public ChunkLimits withHeadingPrefix(HeadingPrefix prefix) {
        return new ChunkLimits(maxTokens, overlapTokens, modelTokens, prefix);
    }

    /** Whether prefix lines and texts are sized to fit a model input. */
    public boolean hasModelWindow() {
        return modelTokens > 0;
    }

    /**
     * The most tokens a prefix line (its newline included) may take: a third of the model input after the special
     * tokens (42 of MiniLM's 128), so that a deep heading path never starves the text; unbounded without a window.
     */
    public int maxPrefixTokens() {
        return hasModelWindow() ? (modelTokens - SPECIAL_TOKENS) / 3 : Integer.MAX_VALUE;
    }

    /**
     * Tokens of text a chunk may have next to a prefix line of {@code prefixTokens} (newline included): the chunk
     * size, or what the model input leaves, whichever is smaller.
     */
    public int textTokens(int prefixTokens) {
        return hasModelWindow() ? Math.min(maxTokens, modelTokens - SPECIAL_TOKENS - prefixTokens) : maxTokens;
    }
}
