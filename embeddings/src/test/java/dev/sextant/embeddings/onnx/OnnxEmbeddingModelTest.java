package dev.sextant.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnnxEmbeddingModelTest {

    /** Batches are not the CPU default (see EmbedderOptions); these tests exercise them explicitly. */
    static final EmbedderOptions BATCHING = EmbedderOptions.defaults().withMaxBatch(32);

    static List<String> sentences;
    static OnnxEmbeddingModel miniLm;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OnnxEmbeddingModelTest.class.getResourceAsStream("/sentences.txt")) {
            sentences = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        miniLm = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), BATCHING);
    }

    @AfterAll
    static void close() {
        miniLm.close();
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of((Supplier<EncoderSpec>) EncoderSpec::allMiniLmL6V2Quantized,
                        (Supplier<AbstractInProcessEmbeddingModel>) AllMiniLmL6V2QuantizedEmbeddingModel::new),
                Arguments.of((Supplier<EncoderSpec>) EncoderSpec::bgeSmallEnV15Quantized,
                        (Supplier<AbstractInProcessEmbeddingModel>) BgeSmallEnV15QuantizedEmbeddingModel::new));
    }

    @ParameterizedTest
    @MethodSource("models")
    void batchedVectorsMatchLangChain4jOnTheSameModel(Supplier<EncoderSpec> spec,
                                                      Supplier<AbstractInProcessEmbeddingModel> langChain4j) {
        assertThat(sentences).hasSize(100);
        var reference = langChain4j.get();
        try (var ours = new OnnxEmbeddingModel(spec.get(), BATCHING)) {
            List<float[]> vectors = ours.embed(new EmbeddingRequest(sentences)).vectors();
            assertThat(ours.stats().meanBatchSize()).as("texts per ONNX call").isGreaterThan(8);
            for (int i = 0; i < sentences.size(); i++) {
                float[] expected = reference.embed(sentences.get(i)).content().vector();
                assertThat(Vectors.cosine(vectors.get(i), expected)).as(sentences.get(i)).isGreaterThan(0.999f);
            }
        }
    }

    @Test
    void aTextGetsTheSameVectorWhateverItIsBatchedWith() {
        // DynamicQuantizeLinear made batch composition matter (cosine down to 0.96); the rewritten graph must not.
        List<String> texts = List.of("a", "b c", "the quick brown fox", sentences.get(90), sentences.get(95));
        List<float[]> batched = miniLm.embed(new EmbeddingRequest(texts)).vectors();
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = miniLm.embed(EmbeddingRequest.of(texts.get(i))).first();
            assertThat(Vectors.cosine(batched.get(i), alone)).as(texts.get(i)).isGreaterThan(0.99999f);
        }
    }

    @Test
    void concurrentCallersAreBatchedTogetherAndEachGetsItsOwnVectors() throws Exception {
        List<float[]> expected = miniLm.embed(new EmbeddingRequest(sentences)).vectors();
        EmbedderStats before = miniLm.stats();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (String sentence : sentences) {
                results.add(callers.submit(() -> miniLm.embed(EmbeddingRequest.of(sentence)).first()));
            }
            for (int i = 0; i < sentences.size(); i++) {
                assertThat(Vectors.cosine(results.get(i).get(), expected.get(i))).as(sentences.get(i))
                        .isGreaterThan(0.99999f);
            }
        } finally {
            callers.shutdown();
        }
        EmbedderStats after = miniLm.stats();
        assertThat(after.texts() - before.texts()).isEqualTo(100);
        assertThat(after.batches() - before.batches()).as("ONNX calls for 100 concurrent single-text requests")
                .isLessThan(100);
    }

    @Test
    void keepsInputOrderAndReportsTokens() {
        var result = miniLm.embed(EmbeddingRequest.of("one two three four five six", "a", "the quick brown fox"));
        assertThat(result.vectors()).hasSize(3);
        // Metered tokens include [CLS] and [SEP]: what the model read.
        assertThat(result.tokenCount()).isEqualTo(miniLm.countTokens("one two three four five six")
                + miniLm.countTokens("a") + miniLm.countTokens("the quick brown fox") + 3 * 2);
        assertThat(Vectors.cosine(result.vectors().get(1), miniLm.embed(EmbeddingRequest.of("a")).first()))
                .isGreaterThan(0.99999f);
    }

    @Test
    void countsTokensWithoutTruncationForChunkSizing() {
        String longText = "word ".repeat(500);
        assertThat(miniLm.countTokens(longText)).isEqualTo(500);
        assertThat(miniLm.countTokens("")).isZero();
        assertThat(miniLm.embed(EmbeddingRequest.of(longText)).tokenCount()).isEqualTo(miniLm.maxTokens());
    }

    @Test
    void anEmptyRequestGivesNoVectors() {
        assertThat(miniLm.embed(new EmbeddingRequest(List.of())).vectors()).isEmpty();
    }

    @Test
    void vectorsAreUnitLengthWithTheModelDimension() {
        float[] v = miniLm.embed(EmbeddingRequest.of("hello world")).first();
        assertThat(miniLm.dimension()).isEqualTo(384);
        assertThat(v).hasSize(384);
        assertThat(Vectors.dot(v, v)).isCloseTo(1f, Offset.offset(1e-4f));
    }

    @Test
    void relatedSentencesScoreHigherThanUnrelatedOnes() {
        var v = miniLm.embed(EmbeddingRequest.of("How do I sort a list in Python?",
                "Sorting lists in Python uses sorted() or list.sort().",
                "The weather in Lisbon is sunny today.")).vectors();
        assertThat(Vectors.cosine(v.get(0), v.get(1))).isGreaterThan(Vectors.cosine(v.get(0), v.get(2)) + 0.2f);
    }

    @Test
    void cudaRequestedOnACpuBuildFallsBackToTheCpu() {
        try (var model = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(),
                EmbedderOptions.defaults().withDevice("cuda", 0))) {
            assertThat(model.device()).isEqualTo("cpu");
            assertThat(Vectors.cosine(model.embed(EmbeddingRequest.of("hello")).first(),
                    miniLm.embed(EmbeddingRequest.of("hello")).first())).isGreaterThan(0.99999f);
        }
    }

    @Test
    void onTheCpuTheDefaultIsOneTextPerCallOnEveryCore() {
        try (var model = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), EmbedderOptions.defaults())) {
            int cores = Runtime.getRuntime().availableProcessors();
            assertThat(model.options().workers()).isEqualTo(cores);
            assertThat(model.options().maxBatch()).isEqualTo(1);
            assertThat(model.options().intraOpThreads()).isEqualTo(1);
            List<float[]> vectors = model.embed(new EmbeddingRequest(sentences.subList(0, 20))).vectors();
            List<float[]> batched = miniLm.embed(new EmbeddingRequest(sentences.subList(0, 20))).vectors();
            for (int i = 0; i < 20; i++) {
                assertThat(Vectors.cosine(vectors.get(i), batched.get(i))).isGreaterThan(0.99999f);
            }
        }
    }

    @Test
    void aClosedModelRefusesWork() {
        var model = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), EmbedderOptions.defaults());
        model.close();
        assertThatThrownBy(() -> model.embed(EmbeddingRequest.of("late"))).hasMessageContaining("closed");
    }

    @Test
    void badOptionsNameTheirField() {
        assertThatThrownBy(() -> EmbedderOptions.defaults().withMaxBatch(-1)).hasMessageContaining("maxBatch");
        assertThatThrownBy(() -> EmbedderOptions.defaults().withDevice("tpu", 0)).hasMessageContaining("device");
        assertThatThrownBy(() -> new EmbedderOptions(0, 1, 4, 100, Duration.ofMillis(-1), "cpu", 0))
                .hasMessageContaining("maxWait");
    }
}
