package dev.sextant.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.Vectors;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The semantic cache's hit rate on paraphrases and false-hit rate on near misses, over the 202 labelled pairs of
 * eval/corpora/cache-pairs: store question a, look up question b. Prints the table for several thresholds, with
 * and without the guard, and holds the shipped threshold to a floor.
 */
class CachePairsTest {

    record Pair(String id, String a, String b, boolean same, String kind) {
    }

    record Rates(double hitRate, double falseHitRate) {
    }

    @Test
    void theGuardKeepsFalseHitsRareAtTheShippedThreshold() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Path.of("../eval/corpora/cache-pairs/pairs.json").toFile());
        List<Pair> pairs = new ArrayList<>();
        root.forEach(p -> pairs.add(new Pair(p.get("id").asText(), p.get("a").asText(), p.get("b").asText(),
                p.get("same_answer").asBoolean(), p.get("kind").asText())));
        assertThat(pairs).hasSizeGreaterThanOrEqualTo(100);
        double[] similarity = new double[pairs.size()];
        try (var model = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), EmbedderOptions.defaults())) {
            for (int i = 0; i < pairs.size(); i++) {
                var v = model.embed(EmbeddingRequest.of(pairs.get(i).a(), pairs.get(i).b())).vectors();
                similarity[i] = Vectors.cosine(v.get(0), v.get(1));
            }
        }
        System.out.printf(Locale.ROOT, "%-9s %-22s %-22s%n", "threshold", "similarity only", "similarity + guard");
        for (double threshold : new double[] {0.80, 0.85, 0.88, 0.90, 0.92, 0.95}) {
            Rates plain = rates(pairs, similarity, threshold, false);
            Rates guarded = rates(pairs, similarity, threshold, true);
            System.out.printf(Locale.ROOT, "%-9.2f hit %5.1f%% false %5.1f%%  hit %5.1f%% false %5.1f%%%n", threshold,
                    100 * plain.hitRate(), 100 * plain.falseHitRate(), 100 * guarded.hitRate(),
                    100 * guarded.falseHitRate());
        }
        Rates shipped = rates(pairs, similarity, 0.90, true);
        Rates unguarded = rates(pairs, similarity, 0.90, false);
        assertThat(shipped.falseHitRate()).as("false hits with the guard at 0.90").isLessThanOrEqualTo(0.08);
        assertThat(shipped.falseHitRate()).isLessThan(unguarded.falseHitRate() / 3);
        assertThat(shipped.hitRate()).as("hits on paraphrases at 0.90").isGreaterThanOrEqualTo(0.25);
    }

    static Rates rates(List<Pair> pairs, double[] similarity, double threshold, boolean guard) {
        int same = 0;
        int hits = 0;
        int different = 0;
        int falseHits = 0;
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            boolean hit = similarity[i] >= threshold && (!guard || QuestionGuard.interchangeable(p.b(), p.a()));
            if (p.same()) {
                same++;
                hits += hit ? 1 : 0;
            } else {
                different++;
                falseHits += hit ? 1 : 0;
            }
        }
        return new Rates((double) hits / same, (double) falseHits / different);
    }
}
