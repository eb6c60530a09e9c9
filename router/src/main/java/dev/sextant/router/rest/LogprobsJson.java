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

    private static ObjectNode token(ObjectNode node, String text, double logprob, byte[] bytes) {
        node.put("token", text).put("logprob", logprob);
        ArrayNode b = node.putArray("bytes");
        for (byte x : bytes) {
            b.add(x & 0xFF);
        }
        return node;
    }
}
