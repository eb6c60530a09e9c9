package dev.sextant.router.chat;

import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.Prompt;
import dev.sextant.router.admission.PromptEstimate;
import java.time.Duration;
import java.util.List;

/** A plain completion of the conversation, without retrieval or cache: the inference service's chat API. */
public final class ModelOnlyChat implements ChatBackend {

    private final InferenceClient inference;
    private final Duration timeout;

    public ModelOnlyChat(InferenceClient inference, Duration timeout) {
        this.inference = inference;
        this.timeout = timeout;
    }

    @Override
    public ChatAnswer answer(ChatQuery query) {
        ChatCompletionRequest request = query.request();
        GenerationResult result = inference.generate(new GenerationRequest(request.model(),
                Prompt.chat(request.messages()), request.maxTokens(), request.stop(), request.sampling(), timeout,
                request.ignoreEos()).withFormat(request.format()).withLogprobs(request.topLogprobs()),
                query.stream());
        return new ChatAnswer(result.model(), result.text(), result.finishReason().wireName(),
                result.promptTokens(), result.completionTokens(), List.of(), false, "none", Coverage.UNCHECKED,
                result.logprobs());
    }

    @Override
    public String modelFor(ChatCompletionRequest request) {
        return request.model() != null ? request.model() : inference.models().get(0).id();
    }

    @Override
    public WorstCase worstCase(ChatCompletionRequest request) {
        return new WorstCase(PromptEstimate.chat(request.messages(), 0), request.maxTokens());
    }
}
