package dev.sextant.inference.engine;

import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.model.DecoderConfig;
import dev.sextant.inference.runner.CacheOptions;
import dev.sextant.inference.runner.ModelRunner;
import dev.sextant.inference.runner.ModelRunners;
import dev.sextant.inference.sampler.StochasticSampler;
import dev.sextant.inference.sampler.TokenHistory;
import dev.sextant.inference.scheduler.Scheduler;
import dev.sextant.inference.structured.JsonConstraint;
import dev.sextant.inference.structured.StructuredOutputs;
import dev.sextant.inference.structured.UnsupportedSchemaException;
import dev.sextant.inference.tokenizer.ChatTokenizer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Request lifecycle with continuous batching. One engine thread only schedules and computes: it admits waiting
 * sequences (scheduler) and prefills each into its cache row, then decodes one token for every running sequence in
 * a single batched model call, samples, and pushes each token id to its sequence's {@link TokenQueue}; finished,
 * cancelled and timed-out sequences leave and free their row at once, so the next step can admit others.
 * Each caller blocks in {@link #generate} and does its own output processing there ({@link OutputProcessor}:
 * detokenizing, stop strings, streaming, cancellation), so client code never runs on, or waits in, the engine loop.
 */
public final class InferenceEngine implements InferenceClient, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InferenceEngine.class);

    private final EngineOptions options;
    private final DecoderConfig config;
    private final ChatTokenizer tokenizer;
    private final ModelRunner model;
    private final Scheduler<Sequence> scheduler;
    private final EngineMetrics metrics;
    private final StructuredOutputs structured;
    private final List<Sequence> running = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Thread loop;
    private volatile boolean closed;
    private volatile Throwable failure;

    public InferenceEngine(Path modelDir, EngineOptions options, MeterRegistry registry) {
        this(ChatTokenizer.load(modelDir), ModelRunners.open(modelDir, options.runner(),
                new CacheOptions(options.maxBatch(), options.maxSeqLen(), options.kvCacheBytes())), options, registry);
    }

    /** Runs {@code model} (tests wrap a real runner to hold the engine thread inside a step). */
    InferenceEngine(ChatTokenizer tokenizer, ModelRunner model, EngineOptions options, MeterRegistry registry) {
        this.options = options;
        this.tokenizer = tokenizer;
        this.model = model;
        this.config = model.config();
        this.structured = new StructuredOutputs(tokenizer.tokenizerJson(), config.eosTokenIds());
        this.scheduler = new Scheduler<>(options.maxWaiting(), options.maxTokensPerStep());
        this.metrics = new EngineMetrics(registry, options.modelId(), scheduler::waiting, () -> model.active(),
                () -> (double) model.active() / model.slots());
        LOG.infof("engine %s (%s): %d cache slots of %d tokens (%d MiB), max %d tokens per step",
                options.modelId(), model.getClass().getSimpleName(), model.slots(), model.maxSeqLen(),
                model.cacheBytes() >> 20, options.maxTokensPerStep());
        this.loop = new Thread(this::run, "sextant-engine-" + options.modelId());
        loop.setDaemon(true);
        loop.start();
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(new ModelInfo(options.modelId(), model.maxSeqLen()));
    }

    public ChatTokenizer tokenizer() {
        return tokenizer;
    }

    /** Cache slots, i.e. the largest decode batch. */
    public int batchCapacity() {
        return model.slots();
    }

    @Override
    public GenerationResult generate(GenerationRequest request, TokenStream stream) {
        if (request.model() != null && !request.model().equals(options.modelId())) {
            throw new InferenceException(InferenceException.Kind.MODEL_NOT_FOUND,
                    "model '" + request.model() + "' does not exist; available: " + options.modelId());
        }
        if (failure != null || closed) {
            throw new InferenceException(InferenceException.Kind.INTERNAL, "inference engine is not running");
        }
        String promptText;
        try {
            promptText = switch (request.prompt()) {
                case Prompt.Chat chat -> tokenizer.renderChat(chat.messages());
                case Prompt.Text text -> text.text();
            };
        } catch (dev.sextant.inference.template.ChatTemplate.ChatTemplateException e) {
            throw new InferenceException(InferenceException.Kind.INVALID_REQUEST,
                    "the model's chat template rejected the conversation: " + e.getMessage(), e);
        }
        long[] prompt = tokenizer.encode(promptText);
        if (prompt.length == 0) {
            throw new InferenceException(InferenceException.Kind.INVALID_REQUEST, "prompt is empty");
        }
        if (prompt.length >= model.maxSeqLen()) {
            throw new InferenceException(InferenceException.Kind.INVALID_REQUEST, "prompt has " + prompt.length
                    + " tokens; the model's context length is " + model.maxSeqLen());
        }
        int budget = Math.min(request.maxTokens(), model.maxSeqLen() - prompt.length);
        JsonConstraint constraint;
        try {
            constraint = structured.constraint(request.format());
        } catch (UnsupportedSchemaException e) {
            throw new InferenceException(InferenceException.Kind.INVALID_REQUEST, "response_format.json_schema."
                    + e.getMessage(), e);
        }
        TokenHistory history = new TokenHistory(config.vocabSize());
        history.addAll(prompt);
        long submitted = System.nanoTime();
        Sequence sequence = new Sequence(prompt, budget, submitted + request.timeout().toNanos(),
                new StochasticSampler(request.sampling()), history,
                request.ignoreEos() ? List.of() : config.eosTokenIds(), constraint, request.topLogprobs(),
                Thread.currentThread());
        OutputProcessor output = new OutputProcessor(sequence, stream,
                new TextAssembler(tokenizer, request.stop(), budget), metrics, options.modelId(),
                request.logprobs() ? structured.vocabulary() : null);
        if (!scheduler.offer(sequence)) {
            metrics.rejected();
            throw new InferenceException(InferenceException.Kind.OVERLOADED,
                    "inference queue is full (" + options.maxWaiting() + " waiting)");
        }
        signal();
        // The engine ends the sequence at its deadline; the extra wait only guards against a dead engine.
        return output.collect(submitted + request.timeout().toNanos() + TimeUnit.SECONDS.toNanos(30));
    }

    private void signal() {
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (!closed) {
                if (!step()) {
                    awaitWork();
                }
            }
        } catch (Throwable t) {
            failure = t;
            LOG.error("inference engine stopped", t);
        } finally {
            List<Sequence> orphans = new ArrayList<>(running);
            orphans.addAll(scheduler.drain());
            for (Sequence s : orphans) {
                s.tokens.fail(failure != null ? failure : new IllegalStateException("inference engine shut down"));
            }
        }
    }

    private void awaitWork() throws InterruptedException {
        lock.lock();
        try {
            if (scheduler.waiting() == 0 && !closed) {
                work.await(100, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** One engine step; {@code false} when there was nothing to do. */
    boolean step() {
        long now = System.nanoTime();
        for (Sequence gone : scheduler.removeWaitingIf(s -> s.abandoned(now))) {
            gone.end();
        }
        List<Sequence> admitted = scheduler.admit(model.slots() - model.active(), running.size());
        if (admitted.isEmpty() && running.isEmpty()) {
            return false;
        }
        int decoding = running.size();
        for (Sequence s : admitted) {
            s.row = model.allocate();
            running.add(s);
            metrics.prompt(s.prompt.length);
            float[] logits = model.prefill(s.row, s.prompt);
            accept(s, logits);
        }
        decode(decoding);
        retireFinished();
        return true;
    }

    /** Decodes the first {@code rows} running sequences (those that were running before this step's prefills). */
    private void decode(int rows) {
        if (rows == 0) {
            return;
        }
        // Rows that finished in a previous step were retired; rows cancelled since are skipped after the call.
        long[] tokens = new long[rows];
        int[] lengths = new int[rows];
        long now = System.nanoTime();
        boolean any = false;
        for (int r = 0; r < rows; r++) {
            Sequence s = running.get(r);
            s.abandoned(now);
            tokens[r] = s.finished() ? 0 : s.lastToken;
            lengths[r] = s.finished() ? 0 : s.cachedLength();
            any |= !s.finished();
        }
        if (!any) {
            return;
        }
        metrics.decodeBatch(rows);
        float[][] logits = model.decode(tokens, lengths);
        for (int r = 0; r < rows; r++) {
            Sequence s = running.get(r);
            if (!s.finished()) {
                accept(s, logits[r]);
            }
        }
    }

    private void accept(Sequence s, float[] logits) {
        long previous = s.lastTokenNanos;
        int before = s.generated;
        long now = System.nanoTime();
        s.accept(logits, now);
        if (s.generated > before) {
            if (before == 0) {
                metrics.firstToken(now - s.enqueuedNanos);
            } else {
                metrics.nextToken(now - previous);
            }
        }
    }

    /** Frees the rows of finished sequences, highest row first so each move keeps rows 0..n-1 in use. */
    private void retireFinished() {
        for (int r = running.size() - 1; r >= 0; r--) {
            Sequence s = running.get(r);
            if (!s.finished()) {
                continue;
            }
            Sequence last = running.get(running.size() - 1);
            int moved = model.free(r, last == s ? 0 : last.cachedLength());
            if (moved >= 0) {
                running.set(r, last);
                last.row = r;
            }
            running.remove(running.size() - 1);
            if (s.constraint != null) {
                metrics.structured(s.constraint.masks(), s.constraint.maskNanos());
            }
            s.end();
        }
    }

    @Override
    public void close() {
        closed = true;
        signal();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        model.close();
        tokenizer.close();
    }
}
