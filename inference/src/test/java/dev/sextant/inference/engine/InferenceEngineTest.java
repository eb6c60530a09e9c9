package dev.sextant.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.inference.TinyModel;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.TokenStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InferenceEngineTest {

    static InferenceEngine engine;

    @BeforeAll
    static void load() {
        engine = new InferenceEngine("tiny", TinyModel.dir(), 1, 0);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static GenerationRequest ask(String question, int maxTokens, List<String> stop) {
        return new GenerationRequest(null, List.of(new ChatMessage("user", question)), maxTokens, stop,
                Duration.ofSeconds(60));
    }

    static final class Collecting implements TokenStream {
        final StringBuilder text = new StringBuilder();
        int deltas;

        @Override
        public void onText(String delta) {
            text.append(delta);
            deltas++;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
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
    void sameRequestGivesTheSameGreedyText() {
        var first = engine.generate(ask("Tell me about caches.", 16, List.of()), TokenStream.DISCARD);
        var second = engine.generate(ask("Tell me about caches.", 16, List.of()), TokenStream.DISCARD);
        assertThat(second.text()).isEqualTo(first.text());
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
    void cancellationStopsGeneration() {
        AtomicInteger deltas = new AtomicInteger();
        var result = engine.generate(ask("What is a heap?", 200, List.of()), new TokenStream() {
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
        assertThat(result.completionTokens()).isLessThan(20);
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
        var request = new GenerationRequest("gpt-9", List.of(new ChatMessage("user", "hi")), 4, List.of(),
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> engine.generate(request, TokenStream.DISCARD))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("gpt-9");
    }

    @Test
    void aRequestBeyondTheWaitingLimitIsRefusedNotQueued() throws Exception {
        CountDownLatch generating = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<GenerationResult> busy = CompletableFuture.supplyAsync(() ->
                engine.generate(ask("What is a heap?", 4, List.of()), new TokenStream() {
                    @Override
                    public void onText(String delta) {
                        generating.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public boolean isCancelled() {
                        return false;
                    }
                }));
        assertThat(generating.await(30, TimeUnit.SECONDS)).isTrue();
        // maxWaiting is 0: with one request running, the next one is refused at once.
        assertThatThrownBy(() -> engine.generate(ask("hi", 2, List.of()), TokenStream.DISCARD))
                .isInstanceOf(InferenceException.class)
                .extracting(e -> ((InferenceException) e).kind())
                .isEqualTo(InferenceException.Kind.OVERLOADED);
        release.countDown();
        assertThat(busy.get(30, TimeUnit.SECONDS).completionTokens()).isEqualTo(4);
        assertThat(engine.generate(ask("hi", 2, List.of()), TokenStream.DISCARD).completionTokens()).isEqualTo(2);
    }
}
