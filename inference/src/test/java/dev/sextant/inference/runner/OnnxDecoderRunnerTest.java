package dev.sextant.inference.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.inference.TinyModel;
import dev.sextant.inference.model.DecoderConfig;
import dev.sextant.inference.sampler.GreedySampler;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java runner with its KV cache against onnxruntime (Python) full recomputation on the same ONNX file. */
class OnnxDecoderRunnerTest {

    static OnnxDecoderRunner runner;

    @BeforeAll
    static void load() {
        DecoderConfig config = DecoderConfig.readGenaiConfig(TinyModel.dir().resolve("genai_config.json"));
        runner = new OnnxDecoderRunner(TinyModel.dir(), config, 1);
    }

    @AfterAll
    static void close() {
        runner.close();
    }

    @Test
    void promptLogitsMatchTheReference() {
        for (JsonNode c : TinyModel.reference().get("cases")) {
            try (var seq = runner.newSequence()) {
                float[] logits = seq.step(TinyModel.longs(c.get("prompt_ids")));
                JsonNode expected = c.get("last_logits");
                assertThat(logits).hasSize(expected.size());
                double maxDiff = 0;
                for (int i = 0; i < logits.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(logits[i] - expected.get(i).asDouble()));
                }
                assertThat(maxDiff).as(c.get("name").asText()).isLessThan(1e-4);
            }
        }
    }

    @Test
    void cachedGreedyDecodeEqualsFullRecomputeReference() {
        GreedySampler greedy = new GreedySampler();
        for (JsonNode c : TinyModel.reference().get("cases")) {
            long[] expected = TinyModel.longs(c.get("greedy_ids"));
            long[] produced = new long[expected.length];
            try (var seq = runner.newSequence()) {
                float[] logits = seq.step(TinyModel.longs(c.get("prompt_ids")));
                for (int i = 0; i < expected.length; i++) {
                    produced[i] = greedy.sample(logits);
                    logits = seq.step(new long[] {produced[i]});
                }
                assertThat(seq.length()).isEqualTo(c.get("prompt_ids").size() + expected.length);
            }
            assertThat(produced).as(c.get("name").asText()).containsExactly(expected);
        }
    }

    @Test
    void cachedStepEqualsRecomputingTheWholeSequence() {
        long[] prompt = TinyModel.longs(TinyModel.reference().get("cases").get(2).get("prompt_ids"));
        float[] cached;
        try (var seq = runner.newSequence()) {
            seq.step(Arrays.copyOf(prompt, prompt.length - 1));
            cached = seq.step(new long[] {prompt[prompt.length - 1]});
        }
        float[] full;
        try (var seq = runner.newSequence()) {
            full = seq.step(prompt);
        }
        for (int i = 0; i < full.length; i++) {
            assertThat((double) cached[i]).isCloseTo(full[i], org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void sequenceLongerThanTheContextIsRefused() {
        int context = runner.config().contextLength();
        try (var seq = runner.newSequence()) {
            assertThatThrownBy(() -> seq.step(new long[context + 1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("context length " + context);
        }
    }
}
