package dev.sextant.inference.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.inference.TinyModel;
import dev.sextant.inference.kvcache.KvCacheManager;
import dev.sextant.inference.model.DecoderConfig;
import dev.sextant.inference.sampler.GreedySampler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java runner with its in-place KV cache against onnxruntime (Python) full recomputation on the same ONNX file
 * (reference.json), and batched decode against one-row decode.
 */
class OnnxDecoderRunnerTest {

    static DecoderConfig config;
    static OnnxDecoderRunner runner;
    KvCacheManager kv;

    @BeforeAll
    static void load() {
        config = DecoderConfig.readGenaiConfig(TinyModel.dir().resolve("genai_config.json"));
        runner = new OnnxDecoderRunner(TinyModel.dir(), config, RunnerOptions.cpu(1));
    }

    @AfterAll
    static void close() {
        runner.close();
    }

    @BeforeEach
    void cache() {
        kv = new KvCacheManager(config, 4, 256);
    }

    @AfterEach
    void freeCache() {
        kv.close();
    }

    static List<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        TinyModel.reference().get("cases").forEach(out::add);
        return out;
    }

    static double maxDiff(float[] actual, JsonNode expected) {
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected.get(i).asDouble()));
        }
        return max;
    }

    @Test
    void promptLogitsMatchTheReferenceInAnyRow() {
        for (JsonNode c : cases()) {
            for (int row : new int[] {0, 3}) {
                float[] logits = runner.prefill(kv, row, TinyModel.longs(c.get("prompt_ids")));
                assertThat(logits).hasSize(c.get("last_logits").size());
                assertThat(maxDiff(logits, c.get("last_logits"))).as(c.get("name").asText()).isLessThan(1e-4);
            }
        }
    }

    /** Greedy continuation through the cache, with the sequence in row {@code row} of a batch of {@code rows}. */
    static long[] greedy(OnnxDecoderRunner runner, KvCacheManager kv, long[] prompt, int steps) {
        long[] out = new long[steps];
        float[] logits = runner.prefill(kv, 0, prompt);
        for (int i = 0; i < steps; i++) {
            out[i] = GreedySampler.argmax(logits);
            if (i + 1 < steps) {
                logits = runner.decode(kv, new long[] {out[i]}, new int[] {prompt.length + i})[0];
            }
        }
        return out;
    }

    @Test
    void cachedGreedyDecodeEqualsFullRecomputeReference() {
        for (JsonNode c : cases()) {
            long[] expected = TinyModel.longs(c.get("greedy_ids"));
            assertThat(greedy(runner, kv, TinyModel.longs(c.get("prompt_ids")), expected.length))
                    .as(c.get("name").asText()).containsExactly(expected);
        }
    }

    @Test
    void batchedDecodeOfRowsWithDifferentLengthsEqualsTheReference() {
        List<JsonNode> cases = cases();
        int rows = cases.size();
        int steps = 24;
        long[][] prompts = new long[rows][];
        long[] last = new long[rows];
        int[] lengths = new int[rows];
        long[][] produced = new long[rows][steps];
        for (int r = 0; r < rows; r++) {
            prompts[r] = TinyModel.longs(cases.get(r).get("prompt_ids"));
            assertThat(kv.allocate()).isEqualTo(r);
            last[r] = GreedySampler.argmax(runner.prefill(kv, r, prompts[r]));
            produced[r][0] = last[r];
            lengths[r] = prompts[r].length;
        }
        for (int step = 1; step < steps; step++) {
            float[][] logits = runner.decode(kv, last, lengths);
            for (int r = 0; r < rows; r++) {
                lengths[r]++;
                last[r] = GreedySampler.argmax(logits[r]);
                produced[r][step] = last[r];
            }
        }
        for (int r = 0; r < rows; r++) {
            assertThat(produced[r]).as(cases.get(r).get("name").asText())
                    .containsExactly(TinyModel.longs(cases.get(r).get("greedy_ids")));
        }
    }

    @Test
    void aSequenceMovedToAFreedRowContinuesUnchanged() {
        JsonNode longest = cases().get(3);
        long[] prompt = TinyModel.longs(longest.get("prompt_ids"));
        long[] expected = TinyModel.longs(longest.get("greedy_ids"));
        int first = kv.allocate();
        runner.prefill(kv, first, TinyModel.longs(cases().get(0).get("prompt_ids")));
        int second = kv.allocate();
        long token = GreedySampler.argmax(runner.prefill(kv, second, prompt));
        long[] produced = new long[expected.length];
        produced[0] = token;
        int length = prompt.length;
        for (int i = 1; i < 10; i++) {
            token = GreedySampler.argmax(runner.decode(kv, new long[] {0, token}, new int[] {1, length++})[1]);
            produced[i] = token;
        }
        // The first sequence leaves: the second moves from row 1 to row 0 and decodes alone from there.
        assertThat(kv.free(first, length)).isEqualTo(second);
        for (int i = 10; i < expected.length; i++) {
            token = GreedySampler.argmax(runner.decode(kv, new long[] {token}, new int[] {length++})[0]);
            produced[i] = token;
        }
        assertThat(produced).containsExactly(expected);
    }

    @Test
    void aSequenceLongerThanTheCacheRowIsRefused() {
        assertThatThrownBy(() -> runner.prefill(kv, 0, new long[257]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximum sequence length 256");
    }
}
