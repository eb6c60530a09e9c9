package dev.sextant.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.openai.WireJson;

/**
 * OpenAI's {@code usage} object of a completion (in a stream: the last chunk's, with
 * {@code stream_options.include_usage}). Extensions a server adds (sextant's {@code cost_usd}) stay in the JSON.
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens) {

    public static Usage of(long promptTokens, long completionTokens) {
        return new Usage(promptTokens, completionTokens, promptTokens + completionTokens);
    }

    /** The usage object under {@code node}; null when it has none (most chunks of a stream). */
    public static Usage from(JsonNode node) {
        JsonNode usage = node == null ? null : node.get("usage");
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long prompt = usage.path("prompt_tokens").asLong(0);
        long completion = usage.path("completion_tokens").asLong(0);
        return new Usage(prompt, completion, usage.path("total_tokens").asLong(prompt + completion));
    }

    public ObjectNode toJsonNode() {
        return WireJson.MAPPER.createObjectNode()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", totalTokens);
    }
}
