package dev.sextant.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.inference.TinyModel;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.runner.RunnerOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine thread only schedules and computes; detokenizing, stop strings, streaming and cancellation happen on
 * the thread that called {@code generate}. Expected outputs come from the same requests run alone on another
 * engine (greedy output does not depend on the batch).
 */
class RequestSideOutputTest {

    static InferenceEngine reference;
    static ExecutorService pool = Executors.newFixedThreadPool(8);

    @BeforeAll
    static void load() {
        reference = engine(4);
    }

    @AfterAll
    static void close() {
        reference.close();
        pool.shutdownNow();
    }

    static InferenceEngine engine(int maxBatch) {
        return new InferenceEngine(TinyModel.dir(), new EngineOptions("tiny", RunnerOptions.cpu(1), 64, maxBatch,
                1024, 1L << 30, 2048), new SimpleMeterRegistry());
    }

    static GenerationRequest ask(String question, int maxTokens, List<String> stop) {
        return GenerationRequest.chat(List.of(new ChatMessage("user", question)), maxTokens, stop,
                Duration.ofSeconds(60));
    }

    /** Records which threads ran the callbacks; cancels after {@code cancelAfter} deltas. */
    static final class ThreadRecording implements TokenStream {
        final Set<String> onTextThreads = ConcurrentHashMap.newKeySet();
        final Set<String> isCancelledThreads = ConcurrentHashMap.newKeySet();
        final int cancelAfter;
        volatile int deltas;

        ThreadRecording(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void onText(String delta) {
            onTextThreads.add(Thread.currentThread().getName());
            deltas++;
        }

        @Override
        public boolean isCancelled() {
            isCancelledThreads.add(Thread.currentThread().getName());
            return deltas >= cancelAfter;
        }
    }

    record Run(String caller, ThreadRecording stream, GenerationResult result) {
    }

    @Test
    void streamCallbacksRunOnTheCallingThreadNeverOnTheEngineThread() throws Exception {
        String full = reference.generate(ask("What is a heap?", 24, List.of()), TokenStream.DISCARD).text();
        List<GenerationRequest> requests = List.of(ask("What is a heap?", 24, List.of()),
                ask("What is a heap?", 24, List.of(full.substring(full.length() / 2, full.length() / 2 + 2))),
                ask("Tell me about queues.", 500, List.of()));
        List<Integer> cancelAfter = List.of(Integer.MAX_VALUE, Integer.MAX_VALUE, 3);
        List<CompletableFuture<Run>> runs = new java.util.ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            GenerationRequest request = requests.get(i);
            ThreadRecording stream = new ThreadRecording(cancelAfter.get(i));
            runs.add(CompletableFuture.supplyAsync(() -> new Run(Thread.currentThread().getName(), stream,
                    reference.generate(request, stream)), pool));
        }
        for (CompletableFuture<Run> future : runs) {
            Run run = future.get(60, TimeUnit.SECONDS);
            assertThat(run.stream().onTextThreads).containsExactly(run.caller());
            assertThat(run.stream().isCancelledThreads).containsExactly(run.caller());
        }
        assertThat(runs.get(1).get().result().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(runs.get(2).get().result().finishReason()).isEqualTo(FinishReason.CANCELLED);
    }

    @Test
    void aConsumerBlockedInOnTextDoesNotHoldUpAnotherSequence() throws Exception {
        GenerationRequest slowConsumers = ask("What is a heap?", 20, List.of());
        GenerationRequest other = ask("Tell me about queues and heaps.", 30, List.of());
        GenerationResult slowAlone = reference.generate(slowConsumers, TokenStream.DISCARD);
        GenerationResult otherAlone = reference.generate(other, TokenStream.DISCARD);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StringBuilder streamed = new StringBuilder();
        try (InferenceEngine two = engine(2)) {
            CompletableFuture<GenerationResult> slow = CompletableFuture.supplyAsync(() ->
                    two.generate(slowConsumers, new TokenStream() {
                        @Override
                        public void onText(String delta) {
                            blocked.countDown();
                            try {
                                release.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            streamed.append(delta);
                        }

                        @Override
                        public boolean isCancelled() {
                            return false;
                        }
                    }), pool);
            try {
                assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
                GenerationResult otherResult = CompletableFuture.supplyAsync(
                        () -> two.generate(other, TokenStream.DISCARD), pool).get(30, TimeUnit.SECONDS);
                assertThat(slow).as("the first consumer is still inside onText").isNotDone();
                assertThat(otherResult).isEqualTo(otherAlone);
            } finally {
                release.countDown();
            }
            GenerationResult slowResult = slow.get(30, TimeUnit.SECONDS);
            assertThat(slowResult).isEqualTo(slowAlone);
            assertThat(streamed.toString()).isEqualTo(slowResult.text());
        }
    }

    @Test
    void aStopStringFoundByTheCallerEndsTheSequenceAndFreesItsSlot() throws Exception {
        String question = "What is a heap?";
        GenerationResult full = reference.generate(ask(question, 24, List.of()), TokenStream.DISCARD);
        assertThat(full.finishReason()).as("24 tokens without an end of sequence").isEqualTo(FinishReason.LENGTH);
        int middle = full.text().length() / 2;
        String stop = full.text().substring(middle, middle + 3);
        String before = full.text().substring(0, full.text().indexOf(stop));
        assertThat(before).isNotEmpty();
        // What a synchronous engine counts: the tokens up to the one that completes the stop string.
        int stopToken = 1;
        while (!reference.generate(ask(question, stopToken, List.of()), TokenStream.DISCARD).text().contains(stop)) {
            stopToken++;
        }
        assertThat(stopToken).isLessThan(24);

        try (GatedRunner.Gated gated = GatedRunner.engine(1, 4, 2048)) {
            GatedRunner gate = gated.gate();
            // Prefill samples token 1 and decode k samples token k + 1: holding decode stopToken + 1 lets the engine
            // sample one token past the stop string, while this consumer waits in its first onText.
            gate.holdDecode(stopToken + 1);
            boolean[] engineRanAhead = {false};
            StringBuilder streamed = new StringBuilder();
            GenerationResult result = gated.engine().generate(ask(question, 32, List.of(stop)), new TokenStream() {
                @Override
                public void onText(String delta) {
                    if (streamed.isEmpty()) {
                        try {
                            engineRanAhead[0] = gate.awaitHeld();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    streamed.append(delta);
                }

                @Override
                public boolean isCancelled() {
                    return false;
                }
            });
            assertThat(engineRanAhead[0]).as("the engine sampled past the stop string before it was found").isTrue();
            assertThat(result.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(result.text()).isEqualTo(before).isEqualTo(streamed.toString());
            assertThat(result.completionTokens()).isEqualTo(stopToken);
            assertThat(result.promptTokens()).isEqualTo(full.promptTokens());

            gate.release();
            GenerationResult later = gated.engine().generate(ask("hi", 3, List.of()), TokenStream.DISCARD);
            assertThat(later.completionTokens()).isEqualTo(3);
            // The stopped sequence left at the engine's next step: the only decodes after the held one are the
            // later request's two.
            assertThat(gate.decodes()).isEqualTo(stopToken + 1 + 2);
        }
    }
}
