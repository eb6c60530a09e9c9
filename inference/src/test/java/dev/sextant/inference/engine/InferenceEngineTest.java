package dev.sextant.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.inference.TinyModel;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.runner.RunnerOptions;
import dev.sextant.inference.api.SamplingParams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InferenceEngineTest {

    static InferenceEngine engine;
    static SimpleMeterRegistry registry = new SimpleMeterRegistry();
    static ExecutorService pool = Executors.newFixedThreadPool(24);

    static InferenceEngine engine(int maxBatch, int maxWaiting, int maxTokensPerStep) {
        return engine(maxBatch, maxWaiting, maxTokensPerStep, new SimpleMeterRegistry());
    }

    static InferenceEngine engine(int maxBatch, int maxWaiting, int maxTokensPerStep, SimpleMeterRegistry metrics) {
        return new InferenceEngine(TinyModel.dir(), new EngineOptions("tiny", RunnerOptions.cpu(1), maxWaiting,
                maxBatch, 1024, 1L << 30, maxTokensPerStep), metrics);
    }

    @BeforeAll
    static void load() {
        engine = new InferenceEngine(TinyModel.dir(), new EngineOptions("tiny", RunnerOptions.cpu(1), 64, 8, 4096,
                1L << 30, 2048), registry);
    }

    @AfterAll
    static void close() {
        engine.close();
        pool.shutdownNow();
    }

    static GenerationRequest ask(String question, int maxTokens, List<String> stop) {
        return GenerationRequest.chat(List.of(new ChatMessage("user", question)), maxTokens, stop,
                Duration.ofSeconds(60));
    }

    static GenerationRequest sampled(String question, SamplingParams sampling) {
        return new GenerationRequest(null, Prompt.chat(List.of(new ChatMessage("user", question))), 16, List.of(),
                sampling, Duration.ofSeconds(60));
    }

    static final class Collecting implements TokenStream {
        final StringBuilder text = new StringBuilder();
        int deltas;

        @Override
        public synchronized void onText(String delta) {
            text.append(delta);
            deltas++;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }

    /** 16 prompts of mixed lengths (1 to ~150 words) and different max_tokens, so rows join and leave. */
    static List<GenerationRequest> mixedRequests() {
        List<GenerationRequest> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String question = "question " + i + " " + "about heaps and queues ".repeat(1 + (i * 7) % 40);
            out.add(ask(question, 6 + (i * 5) % 23, List.of()));
        }
        return out;
    }

    @Test
    void batchedGreedyOutputIsTokenIdenticalToOneAtATime() throws Exception {
        List<GenerationRequest> requests = mixedRequests();
        List<GenerationResult> sequential = new ArrayList<>();
        for (GenerationRequest r : requests) {
            sequential.add(engine.generate(r, TokenStream.DISCARD));
        }
        // 6 slots for 16 concurrent requests: sequences join mid-batch as others leave, and the rest queue.
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (InferenceEngine small = engine(6, 64, 512, metrics)) {
            List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
            for (GenerationRequest r : requests) {
                futures.add(CompletableFuture.supplyAsync(() -> small.generate(r, TokenStream.DISCARD), pool));
            }
            for (int i = 0; i < requests.size(); i++) {
                GenerationResult batched = futures.get(i).get(120, TimeUnit.SECONDS);
                assertThat(batched.text()).as("request " + i).isEqualTo(sequential.get(i).text());
                assertThat(batched.completionTokens()).isEqualTo(sequential.get(i).completionTokens());
                assertThat(batched.finishReason()).isEqualTo(sequential.get(i).finishReason());
            }
        }
        var batchSizes = metrics.get("sextant.inference.decode.batch.size").summary();
        assertThat(batchSizes.max()).as("rows decoded together").isEqualTo(6);
    }

    @Test
    void stopsAtMaxTokensAndStreamsExactlyTheReturnedText() {
        Collecting stream = new Collecting();
        GenerationResult result = engine.generate(ask("What is a heap?", 12, List.of()), stream);
        assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(result.completionTokens()).isEqualTo(12);
        assertThat(result.promptTokens()).isGreaterThan(10);
        assertThat(stream.text.toString()).isEqualTo(result.text());
        assertThat(stream.deltas).isGreaterThan(1);
    }

    @Test
    void stopStringEndsGenerationAndIsNeverShown() {
        String full = engine.generate(ask("What is a heap?", 24, List.of()), TokenStream.DISCARD).text();
        String stop = full.substring(full.length() / 2, full.length() / 2 + 3);
        Collecting stream = new Collecting();
        var result = engine.generate(ask("What is a heap?", 24, List.of(stop)), stream);
        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(result.text()).isEqualTo(full.substring(0, full.indexOf(stop)));
        assertThat(stream.text.toString()).isEqualTo(result.text()).doesNotContain(stop);
    }

    @Test
    void seededSamplingIsReproducibleAndTheSeedMatters() {
        var params = new SamplingParams(1.0, 50, 0.95, 1.1, 42L);
        String first = engine.generate(sampled("Tell me about caches.", params), TokenStream.DISCARD).text();
        String again = engine.generate(sampled("Tell me about caches.", params), TokenStream.DISCARD).text();
        assertThat(again).isEqualTo(first);
        List<String> others = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            others.add(engine.generate(sampled("Tell me about caches.",
                    new SamplingParams(1.0, 50, 0.95, 1.1, seed)), TokenStream.DISCARD).text());
        }
        assertThat(others).anyMatch(t -> !t.equals(first));
    }

    @Test
    void cancellationStopsGenerationAndFreesTheSlot() {
        AtomicInteger deltas = new AtomicInteger();
        var result = engine.generate(ask("What is a heap?", 500, List.of()), new TokenStream() {
            @Override
            public void onText(String delta) {
                deltas.incrementAndGet();
            }

            @Override
            public boolean isCancelled() {
                return deltas.get() >= 3;
            }
        });
        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(result.completionTokens()).isLessThan(10);
        assertThat(engine.generate(ask("hi", 3, List.of()), TokenStream.DISCARD).completionTokens()).isEqualTo(3);
    }

    @Test
    void aRequestPastItsDeadlineEndsWithTimeout() {
        var request = new GenerationRequest(null, Prompt.chat(List.of(new ChatMessage("user", "hi"))), 4000,
                List.of(), SamplingParams.GREEDY, Duration.ofMillis(30));
        var result = engine.generate(request, TokenStream.DISCARD);
        assertThat(result.finishReason()).isEqualTo(FinishReason.TIMEOUT);
    }

    @Test
    void promptLongerThanTheContextIsRefusedNamingTheLimit() {
        String huge = "word ".repeat(5000);
        assertThatThrownBy(() -> engine.generate(ask(huge, 8, List.of()), TokenStream.DISCARD))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("context length is 4096")
                .extracting(e -> ((InferenceException) e).kind())
                .isEqualTo(InferenceException.Kind.INVALID_REQUEST);
    }

    @Test
    void unknownModelIsRefused() {
        var request = new GenerationRequest("gpt-9", Prompt.text("hi"), 4, List.of(), SamplingParams.GREEDY,
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> engine.generate(request, TokenStream.DISCARD))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("gpt-9");
    }

    @Test
    void aFullWaitingQueueIsRefusedAndNothingIsDropped() throws Exception {
        try (GatedRunner.Gated gated = GatedRunner.engine(1, 1, 2048)) {
            InferenceEngine tight = gated.engine();
            // The first request holds the engine thread inside its first decode step, with the only slot taken.
            gated.gate().holdDecode(1);
            CompletableFuture<GenerationResult> busy = CompletableFuture.supplyAsync(() ->
                    tight.generate(ask("What is a heap?", 4, List.of()), TokenStream.DISCARD), pool);
            assertThat(gated.gate().awaitHeld()).isTrue();
            CompletableFuture<GenerationResult> queued = CompletableFuture.supplyAsync(
                    () -> tight.generate(ask("hi", 2, List.of()), TokenStream.DISCARD), pool);
            Thread.sleep(200);
            assertThatThrownBy(() -> tight.generate(ask("hello", 2, List.of()), TokenStream.DISCARD))
                    .isInstanceOf(InferenceException.class)
                    .extracting(e -> ((InferenceException) e).kind())
                    .isEqualTo(InferenceException.Kind.OVERLOADED);
            gated.gate().release();
            assertThat(busy.get(30, TimeUnit.SECONDS).completionTokens()).isEqualTo(4);
            assertThat(queued.get(30, TimeUnit.SECONDS).completionTokens()).isEqualTo(2);
        }
    }

    @Test
    void metricsCountTokensAndLatencies() {
        engine.generate(ask("metrics please", 5, List.of()), TokenStream.DISCARD);
        assertThat(registry.get("sextant.inference.generated.tokens").counter().count()).isGreaterThanOrEqualTo(5);
        assertThat(registry.get("sextant.inference.time.to.first.token").timer().count()).isPositive();
        assertThat(registry.get("sextant.inference.inter.token.latency").timer().count()).isPositive();
        assertThat(registry.get("sextant.inference.kv.cache.usage").gauge().value()).isBetween(0.0, 1.0);
    }
}
