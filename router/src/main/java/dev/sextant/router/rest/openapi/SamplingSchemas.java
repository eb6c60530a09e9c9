package dev.sextant.router.rest.openapi;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The generation fields that chat and text completion requests share ({@code ChatRequests.sampling} and friends). */
public final class SamplingSchemas {

    private SamplingSchemas() {
    }

    @Schema(name = "GenerationParameters", description = "Sampling, stopping and streaming fields shared by chat and "
            + "text completions: OpenAI's, plus vLLM's `top_k`, `repetition_penalty` and `ignore_eos`. A field that "
            + "is absent or null takes its default. Unlike OpenAI, the default temperature is 0 (greedy): "
            + "reproducible answers are what a RAG service and its cache want. An unknown field is a 400 naming it.")
    public record GenerationParameters(
            @Schema(defaultValue = "0", minimum = "0", maximum = "2",
                    description = "Sampling temperature; 0 is greedy decoding.")
            Double temperature,
            @Schema(defaultValue = "1", minimum = "0", exclusiveMinimum = true, maximum = "1",
                    description = "Nucleus sampling: the smallest set of tokens whose probabilities reach `top_p`.")
            Double top_p,
            @Schema(defaultValue = "0", minimum = "0", maximum = "1000000",
                    description = "vLLM's: sample among the `top_k` likeliest tokens only; 0 is no limit.")
            Integer top_k,
            @Schema(defaultValue = "1", minimum = "0.01", maximum = "10",
                    description = "vLLM's: above 1 penalizes tokens already in the prompt or answer, below 1 favours "
                            + "them; 1 is none.")
            Double repetition_penalty,
            @Schema(defaultValue = "0", minimum = "-2", maximum = "2")
            Double presence_penalty,
            @Schema(defaultValue = "0", minimum = "-2", maximum = "2")
            Double frequency_penalty,
            @Schema(format = "int64", description = "Makes sampling reproducible: the same request and seed give "
                    + "the same answer.")
            Long seed,
            @Schema(oneOf = {String.class, String[].class}, maxItems = 4,
                    description = "A string, or up to 4 strings, that end the answer where they appear (not "
                            + "included in it).")
            Object stop,
            @Schema(defaultValue = "1", minimum = "1", maximum = "1",
                    description = "Choices to generate: only 1 is supported (another value is a 400).")
            Integer n,
            @Schema(defaultValue = "false", description = "vLLM's: keep generating past end-of-sequence up to "
                    + "`max_tokens` (for load tests and benchmarks).")
            Boolean ignore_eos,
            @Schema(defaultValue = "false", description = "Answer as server-sent events (`text/event-stream`) "
                    + "instead of one JSON body.")
            Boolean stream,
            StreamOptions stream_options) {
    }

    @Schema(name = "StreamOptions", description = "Options of a streamed answer.")
    public record StreamOptions(
            @Schema(defaultValue = "false", description = "Send a last event, before `[DONE]`, with empty `choices` "
                    + "and the `usage` of the whole answer.")
            Boolean include_usage) {
    }
}
