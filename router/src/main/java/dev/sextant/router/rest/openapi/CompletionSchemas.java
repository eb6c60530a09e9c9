package dev.sextant.router.rest.openapi;

import dev.sextant.router.rest.openapi.SamplingSchemas.GenerationParameters;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /v1/completions}: the body {@code CompletionResource} reads and writes (no template, no retrieval). */
public final class CompletionSchemas {

    private CompletionSchemas() {
    }

    @Schema(name = "CompletionRequest", allOf = GenerationParameters.class, requiredProperties = "prompt",
            description = "OpenAI's (legacy) text completion request: the prompt goes to the model as it is.")
    public record Request(
            @Schema(description = "A chat model of `GET /v1/models`; absent: the first one.")
            String model,
            @Schema(oneOf = {String.class, String[].class}, minLength = 1, minItems = 1, maxItems = 1,
                    description = "The text to continue: a non-empty string, or an array of exactly one.")
            Object prompt,
            @Schema(defaultValue = "16", minimum = "1", maximum = "32768", description = "Tokens to generate at "
                    + "most (OpenAI's default, 16).")
            Integer max_tokens,
            @Schema(defaultValue = "false", enumeration = "false", description = "Not supported: only false.")
            Boolean echo,
            @Schema(nullable = true, minimum = "0", maximum = "20", description = "Report each generated token's "
                    + "log-probability with this many most likely alternatives (the legacy form: `tokens`, "
                    + "`token_logprobs`, `top_logprobs`, `text_offset`); null: none.")
            Integer logprobs) {
    }

    @Schema(name = "Completion", requiredProperties = {"id", "object", "created", "model", "choices"},
            description = "The answer as one JSON body (`usage` included), or one server-sent event of a streamed "
                    + "answer (`data: {...}`): each event has one choice with the next piece of `text`, the last "
                    + "one has `finish_reason`; with `stream_options.include_usage` a last event with empty "
                    + "`choices` carries the `usage`. The stream ends with `data: [DONE]`; a failure after the "
                    + "first event is sent as an `ErrorResponse` event, then `[DONE]`.")
    public record Completion(
            @Schema(examples = "cmpl-3f2c0d5e8a9b4c7d9e1f2a3b4c5d6e7f")
            String id,
            @Schema(constValue = "text_completion", enumeration = "text_completion")
            String object,
            @Schema(format = "int64", description = "Unix time, seconds.")
            long created,
            String model,
            @Schema(maxItems = 1)
            List<Choice> choices,
            @Schema(description = "Always in a JSON answer; in a stream only in its usage event.")
            Usage usage) {
    }

    @Schema(name = "CompletionChoice", requiredProperties = {"text", "index", "logprobs", "finish_reason"})
    public record Choice(
            String text,
            @Schema(constValue = "0")
            int index,
            @Schema(type = SchemaType.OBJECT, nullable = true,
                    description = "With `logprobs`: `tokens`, `token_logprobs`, `top_logprobs` (token -> "
                    + "log-probability per position) and `text_offset`, for the tokens of this text; else null.")
            Object logprobs,
            @Schema(nullable = true, enumeration = {"stop", "length", "cancelled", "timeout"},
                    description = "Null in a stream's events until the last one.")
            String finish_reason) {
    }

    @Schema(name = "Usage", requiredProperties = {"prompt_tokens", "completion_tokens", "total_tokens"},
            description = "OpenAI's token usage.")
    public record Usage(
            int prompt_tokens,
            int completion_tokens,
            int total_tokens) {
    }
}
