package dev.sextant.router.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * The fields a completion request may carry. A field this server does not implement is refused with a 400 naming it,
 * never dropped: a client that asks for tools or logprobs and silently gets neither cannot tell. A field sent as
 * {@code null} counts as absent, as OpenAI treats it.
 */
final class RequestFields {

    /** What the chat route reads (ChatRequests). */
    static final Set<String> CHAT = Set.of("model", "messages", "stream", "stream_options", "max_tokens",
            "max_completion_tokens", "stop", "temperature", "top_p", "top_k", "repetition_penalty", "presence_penalty",
            "frequency_penalty", "seed", "n", "ignore_eos", "response_format", "logprobs", "top_logprobs");

    /** What the text completion route reads (CompletionResource). */
    static final Set<String> COMPLETION = Set.of("model", "prompt", "stream", "stream_options", "max_tokens", "stop",
            "temperature", "top_p", "top_k", "repetition_penalty", "presence_penalty", "frequency_penalty", "seed", "n",
            "ignore_eos", "echo", "logprobs");

    /**
     * OpenAI fields that change nothing a client gets back (end-user ids and tags for abuse tracking, cache and
     * tier hints): accepted and documented as having no effect.
     */
    static final Set<String> NO_EFFECT = Set.of("user", "metadata", "service_tier", "prompt_cache_key",
            "safety_identifier");

    /** Fields OpenAI defines that change the output and are not implemented, with what to say about each. */
    private static final Map<String, String> NOT_IMPLEMENTED = Map.ofEntries(
            Map.entry("tools", "tool calling is not supported yet"),
            Map.entry("tool_choice", "tool calling is not supported yet"),
            Map.entry("parallel_tool_calls", "tool calling is not supported yet"),
            Map.entry("functions", "function calling is not supported (nor is its successor, tools, yet)"),
            Map.entry("function_call", "function calling is not supported (nor is its successor, tools, yet)"),
            Map.entry("logit_bias", "logit bias is not supported"),
            Map.entry("audio", "only text output is supported"),
            Map.entry("modalities", "only text output is supported"),
            Map.entry("prediction", "predicted outputs are not supported"),
            Map.entry("web_search_options", "web search is not supported"),
            Map.entry("reasoning_effort", "the models served here do not reason in a separate channel"),
            Map.entry("verbosity", "verbosity is not supported"),
            Map.entry("suffix", "suffix (insertion) is not supported"),
            Map.entry("best_of", "best_of is not supported"));

    private RequestFields() {
    }

    /** Refuses the first field of {@code body} that is neither in {@code known} nor without effect. */
    static void check(ObjectNode body, Set<String> known) {
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = field.getKey();
            if (field.getValue().isNull() || known.contains(name) || NO_EFFECT.contains(name)) {
                continue;
            }
            if (name.equals("store")) {
                if (field.getValue().isBoolean() && !field.getValue().booleanValue()) {
                    continue;
                }
                throw ApiException.invalid(name, "'store' must be false: completions are not stored here");
            }
            String why = NOT_IMPLEMENTED.get(name);
            throw ApiException.invalid(name, why != null ? "'" + name + "' is not supported: " + why
                    : "unknown field '" + name + "'");
        }
    }
}
