package dev.sextant.inference.smollm2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.engine.EngineOptions;
import dev.sextant.inference.engine.InferenceEngine;
import dev.sextant.inference.kvcache.KvCacheManager;
import dev.sextant.inference.model.DecoderConfig;
import dev.sextant.inference.runner.OnnxDecoderRunner;
import dev.sextant.inference.runner.RunnerOptions;
import dev.sextant.inference.sampler.GreedySampler;
import dev.sextant.inference.tokenizer.ChatTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real default model (SmolLM2-135M-Instruct, int4 and int8 ONNX built by {@code ./sextant model prepare}) in
 * the Java engine, against onnxruntime (Python) outputs on the same ONNX files ({@code reference.json}).
 */
class SmolLm2Test {

    static final ObjectMapper JSON = new ObjectMapper();

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    static JsonNode reference(Path dir) throws Exception {
        return JSON.readTree(dir.resolve("reference.json").toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"int4", "int8"})
    void tokenizerAndChatTemplateMatchPython(String precision) throws Exception {
        Path dir = PreparedModels.require(precision);
        JsonNode ref = reference(dir);
        try (ChatTokenizer tokenizer = ChatTokenizer.load(dir)) {
            for (JsonNode check : ref.get("tokenizer_checks")) {
                assertThat(tokenizer.encode(check.get("text").asText())).as(check.get("text").asText())
                        .containsExactly(longs(check.get("ids")));
            }
            for (JsonNode check : ref.get("chat_template_checks")) {
                if (!check.get("add_generation_prompt").asBoolean()) {
                    continue;
                }
                List<ChatMessage> messages = new ArrayList<>();
                check.get("messages").forEach(m -> messages.add(new ChatMessage(m.get("role").asText(),
                        m.get("content").asText())));
                assertThat(tokenizer.renderChat(messages)).isEqualTo(check.get("rendered").asText());
            }
        }
    }

    /**
     * Prompt logits within 1e-3 of onnxruntime (Python) on the same file (both run the same int4/int8 kernels, so
     * this compares the Java pipeline: inputs, cache binding and masks), and 64 greedy tokens through the KV cache
     * identical.
     */
    @ParameterizedTest
    @ValueSource(strings = {"int4", "int8"})
    void logitsAndGreedyTokensMatchOnnxRuntimePython(String precision) throws Exception {
        Path dir = PreparedModels.require(precision);
        JsonNode ref = reference(dir);
        DecoderConfig config = DecoderConfig.readGenaiConfig(dir.resolve("genai_config.json"));
        try (OnnxDecoderRunner runner = new OnnxDecoderRunner(dir, config, RunnerOptions.cpu(1));
             KvCacheManager kv = new KvCacheManager(config, 1, 512)) {
            assertThat(ref.get("cases").size()).isEqualTo(5);
            for (JsonNode c : ref.get("cases")) {
                long[] prompt = longs(c.get("prompt_ids"));
                float[] logits = runner.prefill(kv, 0, prompt);
                JsonNode expected = c.get("last_logits_full");
                double maxDiff = 0;
                for (int i = 0; i < logits.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(logits[i] - expected.get(i).asDouble()));
                }
                assertThat(maxDiff).as(c.get("name").asText() + " prompt logits").isLessThan(1e-3);
                long[] greedy = longs(c.get("greedy_ids"));
                long[] produced = new long[greedy.length];
                for (int i = 0; i < greedy.length; i++) {
                    produced[i] = GreedySampler.argmax(logits);
                    if (i + 1 < greedy.length) {
                        logits = runner.decode(kv, new long[] {produced[i]}, new int[] {prompt.length + i})[0];
                    }
                }
                assertThat(produced).as(c.get("name").asText() + " greedy tokens").containsExactly(greedy);
            }
        }
    }

    static InferenceEngine engine(Path dir, int maxBatch) {
        return new InferenceEngine(dir, new EngineOptions("smollm2", RunnerOptions.cpu(0), 64, maxBatch, 1024,
                1L << 30, 2048), new SimpleMeterRegistry());
    }

    static GenerationRequest ask(String question, int maxTokens) {
        return GenerationRequest.chat(List.of(new ChatMessage("user", question)), maxTokens, List.of(),
                Duration.ofMinutes(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"int4", "int8"})
    void answersParis(String precision) {
        Path dir = PreparedModels.require(precision);
        try (InferenceEngine engine = engine(dir, 1)) {
            String answer = engine.generate(ask("What is the capital of France? Answer in one word.", 64),
                    TokenStream.DISCARD).text();
            assertThat(answer).contains("Paris");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"int4", "int8"})
    void batchedGreedyOutputIsTokenIdenticalToOneAtATime(String precision) throws Exception {
        Path dir = PreparedModels.require(precision);
        List<GenerationRequest> requests = new ArrayList<>();
        String[] topics = {"heaps", "TCP", "git rebase", "VACUUM", "Redis expiry", "cgroups", "SSE", "quantization"};
        for (int i = 0; i < 16; i++) {
            String question = "Explain " + topics[i % topics.length] + " briefly."
                    + " Please be precise and mention one example.".repeat(i % 5);
            requests.add(ask(question, 8 + (i * 3) % 17));
        }
        List<GenerationResult> sequential = new ArrayList<>();
        try (InferenceEngine one = engine(dir, 1)) {
            for (GenerationRequest r : requests) {
                sequential.add(one.generate(r, TokenStream.DISCARD));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (InferenceEngine batched = engine(dir, 6)) {
            List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
            for (GenerationRequest r : requests) {
                futures.add(CompletableFuture.supplyAsync(() -> batched.generate(r, TokenStream.DISCARD), pool));
            }
            for (int i = 0; i < requests.size(); i++) {
                assertThat(futures.get(i).get(5, TimeUnit.MINUTES).text()).as("request " + i)
                        .isEqualTo(sequential.get(i).text());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
