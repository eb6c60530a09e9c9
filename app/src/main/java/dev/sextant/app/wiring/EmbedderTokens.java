package dev.sextant.app.wiring;

import dev.sextant.rag.chunk.TokenCounter;

/**
 * The embedding model's tokenizer as the chunker and context builder need it, whether the model runs here or on a
 * remote embeddings service.
 *
 * @param counter    tokens of a text, without special tokens or truncation
 * @param modelLimit tokens the model reads at most (longer inputs are truncated)
 * @param owned      a tokenizer loaded only for counting, closed with this bean; null when the model's own is used
 */
public record EmbedderTokens(TokenCounter counter, int modelLimit, AutoCloseable owned) {
}
