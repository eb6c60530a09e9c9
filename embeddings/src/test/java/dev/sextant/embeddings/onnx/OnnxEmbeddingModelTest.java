package dev.sextant.embeddings.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.Vectors;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEmbeddingModelTest {

    static OnnxEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), 1, 1);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void matchesLangChain4jReferenceOnTheSameModel() {
        List<String> texts = List.of(
                "The heapq module implements a priority queue.",
                "PostgreSQL supports window functions.",
                "short",
                "A much longer sentence about how vacuum reclaims storage occupied by dead tuples in tables.",
                "Paris is the capital of France.");
        var reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
        var ours = model.embed(new EmbeddingRequest(texts)).vectors();
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = reference.embed(texts.get(i)).content().vector();
            assertThat(Vectors.cosine(ours.get(i), expected)).as(texts.get(i)).isGreaterThan(0.999f);
        }
    }

    @Test
    void batchedKeepsInputOrder() {
        // The quantized graph uses DynamicQuantizeLinear: its activation scale is computed over the whole batch
        // tensor, so batch composition shifts results slightly. Batched vectors stay close, and in input order.
        List<String> texts = List.of("one two three four five six", "a", "the quick brown fox", "b c");
        try (var batching = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), 1, 4)) {
            var batched = batching.embed(new EmbeddingRequest(texts)).vectors();
            for (int i = 0; i < texts.size(); i++) {
                float[] single = model.embed(EmbeddingRequest.of(texts.get(i))).first();
                assertThat(Vectors.cosine(batched.get(i), single)).as(texts.get(i)).isGreaterThan(0.95f);
                for (int j = 0; j < texts.size(); j++) {
                    if (j != i) {
                        assertThat(Vectors.cosine(batched.get(i), single))
                                .isGreaterThan(Vectors.cosine(batched.get(i),
                                        model.embed(EmbeddingRequest.of(texts.get(j))).first()));
                    }
                }
            }
        }
    }

    @Test
    void vectorsAreUnitLengthWithTheModelDimension() {
        float[] v = model.embed(EmbeddingRequest.of("hello world")).first();
        assertThat(model.dimension()).isEqualTo(384);
        assertThat(v).hasSize(384);
        assertThat(Vectors.dot(v, v)).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void relatedSentencesScoreHigherThanUnrelatedOnes() {
        var v = model.embed(EmbeddingRequest.of("How do I sort a list in Python?",
                "Sorting lists in Python uses sorted() or list.sort().",
                "The weather in Lisbon is sunny today.")).vectors();
        assertThat(Vectors.cosine(v.get(0), v.get(1))).isGreaterThan(Vectors.cosine(v.get(0), v.get(2)) + 0.2f);
    }
}
