package dev.sextant.rag.chunk;

/**
 * The unit chunk sizes are measured in: ideally the embedder's own tokenizer, so that a chunk of {@code maxTokens}
 * is what the embedder reads. {@link RecursiveSplitter} counts each piece of text once and sums the counts, then
 * counts each finished chunk once more to check it; a counter should therefore be close to additive
 * ({@code count(a + b)} about {@code count(a) + count(b)}), which subword tokenizers are. The prefix line the embedder
 * reads before a chunk's text is counted apart from the text, so that line + text fit the model's input only if the
 * counter is exactly additive across the newline between them, as tokenizers that split at whitespace first
 * (WordPiece, BPE) are.
 *
 * <p>Implementations must be deterministic and thread-safe, count without special tokens ({@code [CLS]},
 * {@code [SEP]}, BOS ...) and must never truncate: a counter that stops at the model's maximum length would make
 * every long text look small enough. A Hugging Face tokenizer plugs in as
 * {@code text -> tokenizer.encode(text, false, false).getIds().length} on an instance created without truncation.
 */
@FunctionalInterface
public interface TokenCounter {

    /** Tokens in {@code text}, without special tokens and without truncation; 0 for the empty string. */
    int count(String text);

    /** One token per {@code char} (UTF-16 unit): the splitter's original size in characters. */
    static TokenCounter characters() {
        return String::length;
    }
}
