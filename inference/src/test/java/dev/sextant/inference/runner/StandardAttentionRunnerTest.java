package dev.sextant.inference.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.engine.EngineOptions;
import dev.sextant.inference.engine.InferenceEngine;
import dev.sextant.inference.sampler.GreedySampler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hugging Face Optimum-layout graphs (standard attention, position_ids, present = concat(past, new)) against the
 * onnxruntime (Python) reference of a tiny test decoder in that layout.
 */
class StandardAttentionRunnerTest {

    static Path dir() throws URISyntaxException {
        return Path.of(StandardAttentionRunnerTest.class.getResource("/models/tiny-chat-optimum/config.json")
                .toURI()).getParent();
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    static List<JsonNode> cases() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(dir().resolve("reference.json").toFile());
        List<JsonNode> out = new ArrayList<>();
        ref.get("cases").forEach(out::add);
        return out;
    }

    static ModelRunner open(int slots) throws Exception {
        ModelRunner runner = ModelRunners.open(dir(), RunnerOptions.cpu(1), new CacheOptions(slots, 256, 1L << 30));
        assertThat(runner).isInstanceOf(StandardAttentionRunner.class);
        return runner;
    }

    @Test
    void promptLogitsAndCachedGreedyTokensMatchTheReference() throws Exception {
        try (ModelRunner runner = open(2)) {
            for (JsonNode c : cases()) {
                long[] prompt = longs(c.get("prompt_ids"));
                int row = runner.allocate();
                float[] logits = runner.prefill(row, prompt);
                JsonNode expected = c.get("last_logits");
                double maxDiff = 0;
                for (int i = 0; i < logits.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(logits[i] - expected.get(i).asDouble()));
                }
                assertThat(maxDiff).as(c.get("name").asText()).isLessThan(1e-4);
                long[] greedy = longs(c.get("greedy_ids"));
                long[] produced = new long[greedy.length];
                for (int i = 0; i < greedy.length; i++) {
                    produced[i] = GreedySampler.argmax(logits);
                    if (i + 1 < greedy.length) {
                        logits = runner.decode(new long[] {produced[i]}, new int[] {prompt.length + i})[0];
                    }
                }
                assertThat(produced).as(c.get("name").asText()).containsExactly(greedy);
                runner.free(row, 0);
            }
        }
    }

    @Test
    void leftPaddedBatchedDecodeEqualsTheReferencePerRow() throws Exception {
        List<JsonNode> cases = cases();
        int rows = cases.size();
        int steps = 24;
        try (ModelRunner runner = open(rows)) {
            long[] last = new long[rows];
            int[] lengths = new int[rows];
            long[][] produced = new long[rows][steps];
            for (int r = 0; r < rows; r++) {
                long[] prompt = longs(cases.get(r).get("prompt_ids"));
                assertThat(runner.allocate()).isEqualTo(r);
                last[r] = GreedySampler.argmax(runner.prefill(r, prompt));
                produced[r][0] = last[r];
                lengths[r] = prompt.length;
            }
            for (int step = 1; step < steps; step++) {
                float[][] logits = runner.decode(last, lengths);
                for (int r = 0; r < rows; r++) {
                    lengths[r]++;
                    last[r] = GreedySampler.argmax(logits[r]);
                    produced[r][step] = last[r];
                }
            }
            for (int r = 0; r < rows; r++) {
                assertThat(produced[r]).as(cases.get(r).get("name").asText())
                        .containsExactly(longs(cases.get(r).get("greedy_ids")));
            }
        }
    }

    @Test
    void theEngineBatchesOptimumModelsLikeBuilderModels() throws Exception {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            requests.add(GenerationRequest.chat(List.of(new ChatMessage("user", "question " + i + " "
                    + "about caches ".repeat(1 + i * 3))), 5 + (i * 3) % 11, List.of(), Duration.ofMinutes(1)));
        }
        List<GenerationResult> sequential = new ArrayList<>();
        try (InferenceEngine one = new InferenceEngine(dir(), new EngineOptions("tiny-optimum", RunnerOptions.cpu(1),
                64, 1, 512, 1L << 28, 512), new SimpleMeterRegistry())) {
            for (GenerationRequest r : requests) {
                sequential.add(one.generate(r, TokenStream.DISCARD));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try (InferenceEngine batched = new InferenceEngine(dir(), new EngineOptions("tiny-optimum",
                RunnerOptions.cpu(1), 64, 4, 512, 1L << 28, 512), new SimpleMeterRegistry())) {
            List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
            for (GenerationRequest r : requests) {
                futures.add(CompletableFuture.supplyAsync(() -> batched.generate(r, TokenStream.DISCARD), pool));
            }
            for (int i = 0; i < requests.size(); i++) {
                assertThat(futures.get(i).get(2, TimeUnit.MINUTES).text()).as("request " + i)
                        .isEqualTo(sequential.get(i).text());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
