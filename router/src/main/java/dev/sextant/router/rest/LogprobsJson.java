package dev.sextant.router.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.api.TokenLogprob;
import java.util.List;

/** OpenAI's wire form of log-probabilities: {@code {"content": [{"token", "logprob", "bytes", "top_logprobs"}]}}. */
final class LogprobsJson {

    private LogprobsJson() {
    }

    static ObjectNode of(List<TokenLogprob> tokens) {
        ObjectNode root = Http.JSON.createObjectNode();
        ArrayNode content = root.putArray("content");
        for (TokenLogprob t : tokens) {
            ObjectNode entry = token(content.addObject(), t.token(), t.logprob(), t.bytes());
            ArrayNode top = entry.putArray("top_logprobs");
            for (TokenLogprob.Alternative a : t.top()) {
                token(top.addObject(), a.token(), a.logprob(), a.bytes());
            }
        }
        root.putNull("refusal");
        return root;
    }

    /**
     * The legacy completions form: {@code tokens}, {@code token_logprobs}, {@code top_logprobs} (a map from token to
     * log-probability per position) and {@code text_offset} (where each token starts in the whole text, counted from
     * {@code offset}, the characters sent before these tokens).
     */
    static ObjectNode legacy(List<TokenLogprob> tokens, int offset) {
        ObjectNode root = Http.JSON.createObjectNode();
        ArrayNode text = root.putArray("tokens");
        ArrayNode lps = root.putArray("token_logprobs");
        ArrayNode tops = root.putArray("top_logprobs");
        ArrayNode offsets = root.putArray("text_offset");
        int at = offset;
        for (TokenLogprob t : tokens) {
            text.add(t.token());
            lps.add(t.logprob());
            ObjectNode top = tops.addObject();
            for (TokenLogprob.Alternative a : t.top()) {
                if (!top.has(a.token())) {
                    top.put(a.token(), a.logprob());
                }
            }
            offsets.add(at);
            at += t.token().length();
        }
        return root;
    }

    private static ObjectNode token(ObjectNode node, String text, double logprob, byte[] bytes) {
        node.put("token", text).put("logprob", logprob);
        ArrayNode b = node.putArray("bytes");
        for (byte x : bytes) {
            b.add(x & 0xFF);
        }
        return node;
    }
}
