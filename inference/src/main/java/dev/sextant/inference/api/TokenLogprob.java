package dev.sextant.inference.api;

import java.util.List;

/**
 * One generated token with its log-probability and the most likely alternatives at its position (OpenAI's
 * {@code logprobs.content[]}). Log-probabilities are those of the model's distribution at that step, after the
 * structured-output mask and before temperature and penalties.
 *
 * @param token   the token's text (a token that splits a UTF-8 character shows U+FFFD; {@code bytes} is exact)
 * @param bytes   the token's bytes
 * @param top     the {@code top_logprobs} most likely tokens, most likely first (empty when none were asked for)
 */
public record TokenLogprob(String token, byte[] bytes, double logprob, List<Alternative> top) {

    public TokenLogprob {
        top = List.copyOf(top);
    }

    public record Alternative(String token, byte[] bytes, double logprob) {
    }
}
