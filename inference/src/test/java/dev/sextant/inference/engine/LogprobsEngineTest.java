package dev.sextant.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.inference.TinyModel;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.ResponseFormat;
import dev.sextant.inference.api.SamplingParams;
import dev.sextant.inference.api.TokenLogprob;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.runner.RunnerOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Log-probabilities through the real engine: what the sampler saw, streamed ahead of the text they are behind. */
class LogprobsEngineTest {

    static InferenceEngine engine;

    @BeforeAll
    static void load() {
        engine = new InferenceEngine(TinyModel.dir(), new EngineOptions("tiny", RunnerOptions.cpu(1), 64, 4, 1024,
                1L << 30, 2048), new SimpleMeterRegistry());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static GenerationRequest request(SamplingParams sampling, ResponseFormat format, int top) {
        return new GenerationRequest(null, Prompt.chat(List.of(new ChatMessage("user", "Name a colour."))), 12,
                List.of(), sampling, Duration.ofSeconds(60), false, format, top);
    }

    /** Records the order of text and log-probability calls. */
    static final class Recording implements TokenStream {
        final List<String> calls = new ArrayList<>();
        final List<TokenLogprob> logprobs = new ArrayList<>();

        @Override
        public void onText(String delta) {
            calls.add("text");
        }

        @Override
        public void onLogprobs(List<TokenLogprob> batch) {
            calls.add("logprobs");
            logprobs.addAll(batch);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }

    @Test
    void greedyTokensAreTheMostLikelyAndTheStreamGetsThemFirst() {
        Recording stream = new Recording();
        GenerationResult r = engine.generate(request(SamplingParams.GREEDY, ResponseFormat.TEXT, 5), stream);
        assertThat(r.logprobs()).hasSize(r.completionTokens());
        for (TokenLogprob t : r.logprobs()) {
            assertThat(t.logprob()).isLessThanOrEqualTo(0.0);
            assertThat(t.top()).hasSize(5);
            assertThat(t.top().get(0).bytes()).as("greedy picks the most likely").isEqualTo(t.bytes());
            assertThat(t.top().get(0).logprob()).isCloseTo(t.logprob(), within(1e-6));
            double mass = 0;
            for (int i = 0; i < t.top().size(); i++) {
                mass += Math.exp(t.top().get(i).logprob());
                if (i > 0) {
                    assertThat(t.top().get(i).logprob()).isLessThanOrEqualTo(t.top().get(i - 1).logprob());
                }
            }
            assertThat(mass).isLessThanOrEqualTo(1.0 + 1e-6);
            assertThat(t.token()).isEqualTo(new String(t.bytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(stream.logprobs).isEqualTo(r.logprobs());
        assertThat(stream.calls.get(0)).isEqualTo("logprobs");
        // Without the option nothing is computed or sent.
        Recording plain = new Recording();
        assertThat(engine.generate(request(SamplingParams.GREEDY, ResponseFormat.TEXT, -1), plain).logprobs())
                .isEmpty();
        assertThat(plain.calls).containsOnly("text");
    }

    @Test
    void sampledTokensCarryTheirOwnLogprobAndMaskedTokensNone() {
        GenerationResult sampled = engine.generate(request(new SamplingParams(1.0, 0, 1.0, 1.0, 5L),
                ResponseFormat.TEXT, 0), TokenStream.DISCARD);
        assertThat(sampled.logprobs()).hasSize(sampled.completionTokens())
                .allSatisfy(t -> assertThat(t.top()).isEmpty());
        // Under json_object the first token opens the object (or is whitespace): so are all its alternatives.
        GenerationResult json = engine.generate(request(SamplingParams.GREEDY, ResponseFormat.JSON_OBJECT, 20),
                TokenStream.DISCARD);
        for (TokenLogprob.Alternative a : json.logprobs().get(0).top()) {
            String text = a.token().strip();
            assertThat(text.isEmpty() || text.startsWith("{")).as(a.token()).isTrue();
        }
    }
}
