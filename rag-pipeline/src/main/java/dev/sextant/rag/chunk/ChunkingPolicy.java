package dev.sextant.rag.chunk;

import java.util.Objects;

/**
 * How documents are cut for an embedder, in the terms of the {@code sextant.chunking.*} settings, and the one place
 * that turns them into {@link ChunkLimits} for a model: the application's ingestion, the retrieval evaluation and the
 * ingest benchmark all chunk through here, so they cannot drift apart.
 *
 * <p>The defaults ({@link #DEFAULTS}): {@code max-tokens} 0 (auto: the model's input limit minus
 * {@value #AUTO_RESERVED_TOKENS} tokens, at least {@value #AUTO_MIN_TOKENS}, which leaves room for the title and
 * heading line the embedder reads with each chunk: 96 tokens for all-MiniLM-L6-v2's 128, 480 for bge-small's 512),
 * {@code overlap-tokens} {@value #DEFAULT_OVERLAP_TOKENS}, {@code heading-prefix} {@code nearest}
 * ({@link ChunkLimits#DEFAULT_HEADING_PREFIX}, where its measurement is recorded).
 *
 * @param maxTokens     chunk size in the embedder's tokens; {@value #AUTO} for auto (see above)
 * @param overlapTokens tokens a chunk repeats from the end of the previous one (whole words); 0 for none
 * @param headingPrefix what the embedder reads on a line before each chunk's text
 */
public record ChunkingPolicy(int maxTokens, int overlapTokens, HeadingPrefix headingPrefix) {

    /** {@code max-tokens} value that sizes chunks from the model's input limit. */
    public static final int AUTO = 0;
    /** Tokens of the model's input that the auto size leaves for the title/heading line and special tokens. */
    public static final int AUTO_RESERVED_TOKENS = 32;
    /** The smallest auto size, for models with tiny inputs. */
    public static final int AUTO_MIN_TOKENS = 16;
    public static final int DEFAULT_OVERLAP_TOKENS = 16;
    /** The defaults of {@code sextant.chunking.max-tokens}, {@code overlap-tokens} and {@code heading-prefix}. */
    public static final ChunkingPolicy DEFAULTS = new ChunkingPolicy(AUTO, DEFAULT_OVERLAP_TOKENS,
            ChunkLimits.DEFAULT_HEADING_PREFIX);

    public ChunkingPolicy {
        Objects.requireNonNull(headingPrefix, "headingPrefix");
        if (maxTokens < 0) {
            throw new IllegalArgumentException("sextant.chunking.max-tokens must be 0 (auto) or positive, got "
                    + maxTokens);
        }
        if (overlapTokens < 0) {
            throw new IllegalArgumentException("sextant.chunking.overlap-tokens must not be negative, got "
                    + overlapTokens);
        }
    }

    /**
     * The policy of configuration values.
     *
     * @param headingPrefix {@code path}, {@code nearest} or {@code none}
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public static ChunkingPolicy of(int maxTokens, int overlapTokens, String headingPrefix) {
        HeadingPrefix prefix;
        try {
            prefix = HeadingPrefix.fromConfig(headingPrefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sextant.chunking.heading-prefix must be path, nearest or none, got '"
                    + headingPrefix + "'", e);
        }
        return new ChunkingPolicy(maxTokens, overlapTokens, prefix);
    }

    /** This policy with chunks of {@code tokens} ({@value #AUTO}: auto). */
    public ChunkingPolicy withMaxTokens(int tokens) {
        return new ChunkingPolicy(tokens, overlapTokens, headingPrefix);
    }

    public ChunkingPolicy withHeadingPrefix(HeadingPrefix prefix) {
        return new ChunkingPolicy(maxTokens, overlapTokens, prefix);
    }

    /** The chunk size for a model reading at most {@code modelTokens}: the set size, or auto's. */
    public int chunkTokens(int modelTokens) {
        return maxTokens != AUTO ? maxTokens : Math.max(AUTO_MIN_TOKENS, modelTokens - AUTO_RESERVED_TOKENS);
    }

    /**
     * The limits for a model reading at most {@code modelTokens} (special tokens included): every chunk's embedding
     * input (heading line + text) fits it.
     *
     * @throws IllegalArgumentException naming {@code sextant.chunking.overlap-tokens} when the overlap is not smaller
     *                                  than the chunk (or than what the model input leaves next to a heading line)
     */
    public ChunkLimits limits(int modelTokens) {
        int size = chunkTokens(modelTokens);
        if (overlapTokens >= size) {
            throw new IllegalArgumentException("sextant.chunking.overlap-tokens (" + overlapTokens
                    + ") must be smaller than the chunk size (" + size + " tokens)");
        }
        try {
            return new ChunkLimits(size, overlapTokens, modelTokens, headingPrefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sextant.chunking.overlap-tokens (" + overlapTokens + ") does not fit "
                    + "a " + modelTokens + "-token model input: " + e.getMessage(), e);
        }
    }

    /** A splitter of {@link #limits(int)}, counting with the embedder's {@code counter}. */
    public RecursiveSplitter splitter(int modelTokens, TokenCounter counter) {
        return new RecursiveSplitter(limits(modelTokens), counter);
    }
}
