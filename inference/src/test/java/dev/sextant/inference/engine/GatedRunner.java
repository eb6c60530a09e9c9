package dev.sextant.inference.engine;

import dev.sextant.inference.TinyModel;
import dev.sextant.inference.model.DecoderConfig;
import dev.sextant.inference.runner.CacheOptions;
import dev.sextant.inference.runner.ModelRunner;
import dev.sextant.inference.runner.ModelRunners;
import dev.sextant.inference.runner.RunnerOptions;
import dev.sextant.inference.tokenizer.ChatTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tiny model's real runner, with one decode call that can be made to wait until the test releases it: the
 * engine thread then sits inside a step with its sequences in their slots, which a stream callback can no longer
 * arrange (callbacks run on the request side).
 */
final class GatedRunner implements ModelRunner {

    private final ModelRunner delegate;
    private final AtomicInteger decodes = new AtomicInteger();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int holdAt = Integer.MAX_VALUE;

    private GatedRunner(ModelRunner delegate) {
        this.delegate = delegate;
    }

    /** An engine on the tiny model whose runner is the returned gate. */
    static Gated engine(int maxBatch, int maxWaiting, int maxTokensPerStep) {
        GatedRunner runner = new GatedRunner(ModelRunners.open(TinyModel.dir(), RunnerOptions.cpu(1),
                new CacheOptions(maxBatch, 1024, 1L << 30)));
        InferenceEngine engine = new InferenceEngine(ChatTokenizer.load(TinyModel.dir()), runner,
                new EngineOptions("tiny", RunnerOptions.cpu(1), maxWaiting, maxBatch, 1024, 1L << 30,
                        maxTokensPerStep), new SimpleMeterRegistry());
        return new Gated(engine, runner);
    }

    record Gated(InferenceEngine engine, GatedRunner gate) implements AutoCloseable {
        @Override
        public void close() {
            gate.release();
            engine.close();
        }
    }

    /** The {@code n}-th decode call (counting from 1) waits inside the step until {@link #release()}. */
    void holdDecode(int n) {
        holdAt = n;
    }

    /** Whether the engine reached the held decode within 30 s. */
    boolean awaitHeld() throws InterruptedException {
        return held.await(30, TimeUnit.SECONDS);
    }

    void release() {
        release.countDown();
    }

    /** Decode calls so far (including a held one). */
    int decodes() {
        return decodes.get();
    }

    @Override
    public float[][] decode(long[] tokens, int[] pastLengths) {
        if (decodes.incrementAndGet() == holdAt) {
            held.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return delegate.decode(tokens, pastLengths);
    }

    @Override
    public DecoderConfig config() {
        return delegate.config();
    }

    @Override
    public String device() {
        return delegate.device();
    }

    @Override
    public int slots() {
        return delegate.slots();
    }

    @Override
    public int maxSeqLen() {
        return delegate.maxSeqLen();
    }

    @Override
    public int active() {
        return delegate.active();
    }

    @Override
    public long cacheBytes() {
        return delegate.cacheBytes();
    }

    @Override
    public int allocate() {
        return delegate.allocate();
    }

    @Override
    public int free(int row, int lastRowLength) {
        return delegate.free(row, lastRowLength);
    }

    @Override
    public float[] prefill(int row, long[] tokens) {
        return delegate.prefill(row, tokens);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
