package dev.sextant.inference.engine;

import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.model.DecoderConfig;
import dev.sextant.inference.runner.OnnxDecoderRunner;
import dev.sextant.inference.sampler.GreedySampler;
import dev.sextant.inference.sampler.Sampler;
import dev.sextant.inference.tokenizer.ChatTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request lifecycle around the model runner: admission, prompt rendering, the decode loop with greedy sampling,
 * stop conditions and streaming. Runs one sequence at a time; callers beyond {@code maxWaiting} are refused
 * with {@link InferenceException.Kind#OVERLOADED} instead of queueing without bound.
 */
public final class InferenceEngine implements InferenceClient, AutoCloseable {

    private final String modelId;
    private final OnnxDecoderRunner runner;
    private final ChatTokenizer tokenizer;
    private final Sampler sampler = new GreedySampler();
    private final Semaphore running = new Semaphore(1, true);
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxWaiting;

    public InferenceEngine(String modelId, Path modelDir, int intraOpThreads, int maxWaiting) {
        this.modelId = modelId;
        DecoderConfig config = DecoderConfig.readGenaiConfig(modelDir.resolve("genai_config.json"));
        this.tokenizer = ChatTokenizer.load(modelDir);
        this.runner = new OnnxDecoderRunner(modelDir, config, intraOpThreads);
        this.maxWaiting = maxWaiting;
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(new ModelInfo(modelId, runner.config().contextLength()));
    }

    public ChatTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public GenerationResult generate(GenerationRequest request, TokenStream stream) {
        if (request.model() != null && !request.model().equals(modelId)) {
            throw new InferenceException(InferenceException.Kind.INVALID_REQUEST,
                    "model '" + request.model() + "' does not exist; available: " + modelId);
        }
        long[] prompt = tokenizer.encode(tokenizer.renderChat(request.messages()));
        int context = runner.config().contextLength();
        if (prompt.length >= context) {
            throw new InferenceException(InferenceException.Kind.INVALID_REQUEST, "prompt has " + prompt.length
                    + " tokens; the model's context length is " + context);
        }
        long deadline = System.nanoTime() + request.timeout().toNanos();
        acquire(request);
        try {
            return decode(request, prompt, stream, deadline);
        } finally {
            running.release();
        }
    }

    private void acquire(GenerationRequest request) {
        try {
            // The timed form with zero wait respects the semaphore's fairness: no barging past queued requests.
            if (running.tryAcquire(0, TimeUnit.MILLISECONDS)) {
                return;
            }
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                throw new InferenceException(InferenceException.Kind.OVERLOADED,
                        "inference queue is full (" + maxWaiting + " waiting)");
            }
            try {
                if (!running.tryAcquire(request.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new InferenceException(InferenceException.Kind.OVERLOADED,
                            "timed out waiting for the model after " + request.timeout());
                }
            } finally {
                waiting.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(InferenceException.Kind.INTERNAL, "interrupted while queued", e);
        }
    }

    private GenerationResult decode(GenerationRequest request, long[] prompt, TokenStream stream, long deadline) {
        int budget = Math.min(request.maxTokens(), runner.config().contextLength() - prompt.length);
        TextAssembler text = new TextAssembler(tokenizer, request.stop(), budget);
        FinishReason finish = FinishReason.LENGTH;
        try (OnnxDecoderRunner.Sequence sequence = runner.newSequence()) {
            float[] logits = sequence.step(prompt);
            for (int produced = 0; produced < budget; produced++) {
                if (stream.isCancelled()) {
                    finish = FinishReason.CANCELLED;
                    break;
                }
                if (System.nanoTime() > deadline) {
                    finish = FinishReason.TIMEOUT;
                    break;
                }
                long token = sampler.sample(logits);
                if (runner.config().eosTokenIds().contains(token)) {
                    finish = FinishReason.STOP;
                    break;
                }
                String delta = text.append(token);
                if (!delta.isEmpty()) {
                    stream.onText(delta);
                }
                if (text.stopped()) {
                    finish = FinishReason.STOP;
                    break;
                }
                if (produced + 1 < budget) {
                    logits = sequence.step(new long[] {token});
                }
            }
        }
        String rest = text.finish();
        if (!rest.isEmpty()) {
            stream.onText(rest);
        }
        return new GenerationResult(modelId, text.text(), finish, prompt.length, text.tokenCount());
    }

    @Override
    public void close() {
        runner.close();
        tokenizer.close();
    }
}
