package dev.sextant.router.rest.openapi;

import dev.sextant.router.rest.openapi.SamplingSchemas.GenerationParameters;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /v1/chat/completions}: the body {@code ChatRequests} reads and what {@code ChatResource} writes. */
public final class ChatSchemas {

    private ChatSchemas() {
    }

    @Schema(name = "ChatCompletionRequest", allOf = GenerationParameters.class, requiredProperties = "messages",
            description = "OpenAI's chat completion request. `user`, `metadata`, `service_tier`, "
                    + "`prompt_cache_key`, `safety_identifier` and `store: false` are accepted and change nothing; any "
                    + "other field (`tools`, `logprobs: true`, `logit_bias`, a misspelt name, ...) is a 400 naming it.")
    public record Request(
            @Schema(description = "A chat model of `GET /v1/models`; absent: the first one. Another name is a 400.")
            String model,
            @Schema(minItems = 1, description = "The conversation so far; it must contain a `user` message. The "
                    + "server answers the last user message, with retrieved context on a retrieval deployment.")
            List<Message> messages,
            @Schema(minimum = "1", maximum = "32768", description = "Tokens to generate at most; default: the "
                    + "server's `sextant.inference.default-max-tokens` (128). The prompt plus this must fit the "
                    + "model's context length.")
            Integer max_tokens,
            @Schema(minimum = "1", maximum = "32768", description = "OpenAI's newer name for `max_tokens`; wins "
                    + "over it when both are given.")
            Integer max_completion_tokens,
            @Schema(description = "What the answer must be, enforced token by token while decoding: "
                    + "`{\"type\": \"text\"}` (default), `{\"type\": \"json_object\"}` (any JSON object) or "
                    + "`{\"type\": \"json_schema\", \"json_schema\": {\"name\", \"schema\", \"strict\"}}` (a document "
                    + "of the schema, also when `max_tokens` cuts it short). A schema keyword decoding cannot enforce "
                    + "(`pattern`, `format`, `minimum`, `oneOf`, ...) is a 400 naming it.")
            ResponseFormat response_format,
            @Schema(defaultValue = "false", description = "Report each generated token's log-probability "
                    + "(`choices[0].logprobs`, also per streamed chunk). A cached answer has none, so such a request is "
                    + "always generated.")
            Boolean logprobs,
            @Schema(minimum = "0", maximum = "20", description = "With `logprobs`: how many of the most likely "
                    + "tokens to report at each position.")
            Integer top_logprobs) {
    }

    @Schema(name = "ResponseFormat", requiredProperties = "type")
    public record ResponseFormat(
            @Schema(enumeration = {"text", "json_object", "json_schema"}) String type,
            JsonSchemaFormat json_schema) {
    }

    @Schema(name = "JsonSchemaFormat", requiredProperties = {"name", "schema"})
    public record JsonSchemaFormat(
            @Schema(pattern = "^[A-Za-z0-9_-]{1,64}$") String name,
            String description,
            @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT,
                    description = "A JSON Schema (draft 2020-12 subset; see the inference README).")
            Object schema,
            @Schema(description = "OpenAI's flag; the schema is enforced either way.") Boolean strict) {
    }

    @Schema(name = "ChatMessage", requiredProperties = {"role", "content"},
            description = "One message. Fields other than `role` and `content` (name, tool_calls) are ignored.")
    public record Message(
            @Schema(enumeration = {"system", "developer", "user", "assistant", "tool"},
                    description = "`developer` is read as `system`.")
            String role,
            @Schema(oneOf = {String.class, TextPart[].class},
                    description = "The text, or an array of text parts that are joined together.")
            Object content) {
    }

    @Schema(name = "TextContentPart", requiredProperties = {"type", "text"},
            description = "A part of a message's content: only text parts are accepted.")
    public record TextPart(
            @Schema(constValue = "text", enumeration = "text")
            String type,
            String text) {
    }

    @Schema(name = "ChatCompletion", requiredProperties = {"id", "object", "created", "model", "choices", "usage"},
            description = "The answer as one JSON body. On a deployment with retrieval (not the inference "
                    + "service) it also has `citations`, `cached`, `retrieval` and `answerable`.")
    public record Completion(
            @Schema(examples = "chatcmpl-3f2c0d5e8a9b4c7d9e1f2a3b4c5d6e7f")
            String id,
            @Schema(constValue = "chat.completion", enumeration = "chat.completion")
            String object,
            @Schema(format = "int64", description = "Unix time, seconds.")
            long created,
            @Schema(description = "The model that answered.")
            String model,
            @Schema(minItems = 1, maxItems = 1, description = "Exactly one choice (`n` is 1).")
            List<Choice> choices,
            ChatUsage usage,
            @Schema(description = "The retrieved chunks the answer was given as context, by their number in the "
                    + "prompt; empty when nothing relevant was found.")
            List<Citation> citations,
            @Schema(description = "Whether the answer came from the response cache (it then cost nothing).")
            Boolean cached,
            @Schema(enumeration = {"ok", "unavailable"}, description = "`ok`, or `unavailable` when retrieval "
                    + "failed and the model answered alone (`sextant.retrieval.on-failure=no-context`).")
            String retrieval,
            @Schema(description = "Whether the documents cover the question, as decided before generation from the "
                    + "retrieval's evidence (`sextant.answerability`); `false` with mode `refuse` means the answer is "
                    + "the fixed refusal message, made without the model and without citations. Left out where the "
                    + "mode is `off` or retrieval was unavailable.")
            Boolean answerable) {
    }

    @Schema(name = "ChatCompletionChoice", requiredProperties = {"index", "message", "finish_reason"})
    public record Choice(
            @Schema(constValue = "0", enumeration = "0")
            int index,
            AssistantMessage message,
            @Schema(enumeration = {"stop", "length", "cancelled", "timeout"},
                    description = "`stop`: end of sequence or a stop string; `length`: `max_tokens` or the context "
                            + "length; `timeout`: the server's generation time limit.")
            String finish_reason,
            @Schema(description = "Each generated token's log-probability; only when `logprobs` was true.")
            Logprobs logprobs) {
    }

    @Schema(name = "ChatLogprobs", requiredProperties = "content")
    public record Logprobs(List<TokenLogprob> content, @Schema(nullable = true) String refusal) {
    }

    @Schema(name = "ChatTokenLogprob", requiredProperties = {"token", "logprob", "bytes", "top_logprobs"},
            description = "A generated token: its text (U+FFFD where it splits a character; `bytes` is exact), "
                    + "its log-probability under the model's distribution at that step (after the "
                    + "`response_format` mask, before temperature and penalties), and the `top_logprobs` most likely "
                    + "tokens there.")
    public record TokenLogprob(String token, double logprob, List<Integer> bytes, List<TopLogprob> top_logprobs) {
    }

    @Schema(name = "ChatTopLogprob", requiredProperties = {"token", "logprob", "bytes"})
    public record TopLogprob(String token, double logprob, List<Integer> bytes) {
    }

    @Schema(name = "ChatCompletionMessage", requiredProperties = {"role", "content"})
    public record AssistantMessage(
            @Schema(constValue = "assistant", enumeration = "assistant")
            String role,
            String content) {
    }

    @Schema(name = "ChatUsage", requiredProperties = {"prompt_tokens", "completion_tokens", "total_tokens",
        "cost_usd"}, description = "OpenAI's usage, plus what the answer cost by the server's price table.")
    public record ChatUsage(
            int prompt_tokens,
            int completion_tokens,
            int total_tokens,
            @Schema(minimum = "0", description = "US dollars by `sextant.prices`; 0 for a cached answer.")
            double cost_usd) {
    }

    @Schema(name = "Citation", requiredProperties = {"index", "source", "chunk_id", "score", "title", "text",
            "cited"}, description = "A chunk the answer was given as context. The list leads with the chunks the "
            + "answer cites, in order of first citation; the rest were context only. Markers in the answer that point "
            + "at no chunk are removed from it.")
    public record Citation(
            @Schema(minimum = "1", description = "Its number in the prompt: the answer cites it as `[index]`.")
            int index,
            @Schema(description = "The document, as its path under the ingested root.")
            String source,
            String chunk_id,
            @Schema(description = "Retrieval score (higher is more relevant).")
            double score,
            @Schema(nullable = true)
            String title,
            @Schema(description = "The passage itself.")
            String text,
            @Schema(description = "Whether the answer cites it (`[index]`); false: given as context only.")
            boolean cited) {
    }

    @Schema(name = "ChatCompletionChunk", requiredProperties = {"id", "object", "created", "model", "choices"},
            description = "One server-sent event of a streamed answer (`data: {...}`). The first carries "
                    + "`delta.role`, the following ones `delta.content`, then one has an empty `delta` and the "
                    + "`finish_reason`. A last chunk with empty `choices` follows when retrieval ran (`citations`, "
                    + "`cached`, `retrieval`, `answerable`) or `stream_options.include_usage` was set (`usage`). The "
                    + "stream ends with `data: [DONE]`. A failure after the first event is sent as an `ErrorResponse` event, "
                    + "then `[DONE]`.")
    public record Chunk(
            String id,
            @Schema(constValue = "chat.completion.chunk", enumeration = "chat.completion.chunk")
            String object,
            @Schema(format = "int64")
            long created,
            String model,
            @Schema(maxItems = 1)
            List<ChunkChoice> choices,
            ChatUsage usage,
            List<Citation> citations,
            Boolean cached,
            @Schema(enumeration = {"ok", "unavailable"})
            String retrieval,
            @Schema(description = "As in `ChatCompletion`.")
            Boolean answerable) {
    }

    @Schema(name = "ChatCompletionChunkChoice", requiredProperties = {"index", "delta", "finish_reason"})
    public record ChunkChoice(
            @Schema(constValue = "0", enumeration = "0")
            int index,
            Delta delta,
            @Schema(nullable = true, enumeration = {"stop", "length", "cancelled", "timeout"},
                    description = "Null until the chunk that ends the answer.")
            String finish_reason,
            @Schema(description = "With `logprobs`: those of the tokens behind this chunk's text.")
            Logprobs logprobs) {
    }

    @Schema(name = "ChatCompletionDelta", description = "What the chunk adds to the answer.")
    public record Delta(
            @Schema(constValue = "assistant", enumeration = "assistant")
            String role,
            String content) {
    }
}
