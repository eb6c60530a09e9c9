package dev.sextant.inference.api;

/** Receives generated text as it is produced, and tells the engine when the consumer has gone away. */
public interface TokenStream {

    /** Called with each new piece of text, in order, on the thread that called {@code generate}. */
    void onText(String delta);

    /**
     * Polled on the thread that called {@code generate}, before each token's text and while waiting for tokens;
     * {@code true} stops generation with {@link FinishReason#CANCELLED}.
     */
    boolean isCancelled();

    /**
     * Called, when the request asked for log-probabilities, with those of the tokens behind the text that the next
     * {@link #onText} call brings (or behind text held back, at the end), on the same thread. Streams that do not
     * report them need not implement it.
     */
    default void onLogprobs(java.util.List<TokenLogprob> logprobs) {
    }

    TokenStream DISCARD = new TokenStream() {
        @Override
        public void onText(String delta) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };
}
