package dev.sextant.embeddings;

import java.util.List;

/**
 * Per input text, in input order, one unit-length vector per token the model read ({@code [tokens][dimension]});
 * the special tokens the tokenizer adds ({@code [CLS]}, {@code [SEP]}) are left out, as is what truncation cut off.
 */
public record TokenEmbeddingResult(List<float[][]> texts) {
    public TokenEmbeddingResult {
        texts = List.copyOf(texts);
    }
}
