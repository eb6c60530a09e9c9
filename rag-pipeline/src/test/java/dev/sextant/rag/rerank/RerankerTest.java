package dev.sextant.rag.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.store.ChunkStore.ScoredChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rerankers on the real embedder: what each one's scores reward, and the order they hand back. */
class RerankerTest {

    static OnnxEmbeddingModel embeddings;

    @BeforeAll
    static void load() {
        embeddings = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), EmbedderOptions.defaults());
    }

    @AfterAll
    static void close() {
        embeddings.close();
    }

    static ScoredChunk chunk(String id, String title, String text, double score) {
        String page = id.substring(0, id.indexOf('#'));
        return new ScoredChunk(new Chunk(id, "t", page, title, List.of(title), text, 0, "h"), score);
    }

    static List<String> ids(List<ScoredChunk> ranked) {
        return ranked.stream().map(c -> c.chunk().id()).toList();
    }

    @Test
    void pageOrderLeadsWithEveryPagesBestChunkThenTheSecondOnes() {
        var ordered = PageOrder.of(List.of(chunk("a#0", "A", "x", 0.9), chunk("a#1", "A", "x", 0.8),
                chunk("b#0", "B", "x", 0.7), chunk("a#2", "A", "x", 0.6), chunk("c#0", "C", "x", 0.75)));
        assertThat(ids(ordered)).containsExactly("a#0", "c#0", "b#0", "a#1", "a#2");
        // Ties keep the order the chunks came in.
        assertThat(ids(PageOrder.of(List.of(chunk("b#0", "B", "x", 0.5), chunk("a#0", "A", "x", 0.5)))))
                .containsExactly("b#0", "a#0");
    }

    @Test
    void maxSimOfIdenticalTokenVectorsIsOneAndOfNothingZero() {
        float[][] tokens = {{1, 0}, {0, 1}};
        assertThat(MaxSimReranker.maxSim(tokens, tokens)).isCloseTo(1.0, within(1e-9));
        // Each query token finds its best match: the second one has none better than 0.
        assertThat(MaxSimReranker.maxSim(tokens, new float[][] {{1, 0}})).isCloseTo(0.5, within(1e-9));
        assertThat(MaxSimReranker.maxSim(new float[0][], tokens)).isZero();
        assertThat(MaxSimReranker.maxSim(tokens, new float[0][])).isZero();
    }

    @Test
    void maxSimPutsThePassageThatAnswersEveryPartOfTheQuestionFirst() {
        var candidates = List.of(
                chunk("weather#0", "Weather", "Tomorrow will be sunny with light winds in the afternoon.", 0.9),
                chunk("vacuum#0", "VACUUM", "VACUUM FULL rewrites the table and returns the freed disk space to "
                        + "the operating system.", 0.5),
                chunk("vacuum#1", "VACUUM", "Plain VACUUM only marks dead rows as reusable.", 0.4));
        var reranker = new MaxSimReranker(embeddings);
        var result = reranker.rerank(new Reranker.RerankRequest("which command returns disk space to the operating "
                + "system", candidates, List.of(), List.of()));
        assertThat(ids(result.ranked())).hasSize(3).startsWith("vacuum#0");
        assertThat(ids(result.ranked())).containsExactlyInAnyOrderElementsOf(ids(candidates));
        double[] scores = reranker.scores("which command returns disk space", candidates);
        assertThat(scores).hasSize(3);
        assertThat(scores[1]).isGreaterThan(scores[0]);
        assertThat(reranker.rerank(new Reranker.RerankRequest("q", List.of(), List.of(), List.of())).ranked())
                .isEmpty();
    }

    @Test
    void aLearnedRankerScoresTheWeightedFeatures() {
        var candidates = List.of(chunk("intro#0", "Introduction", "Some words about tables and rows.", 1.0),
                chunk("vacuum#0", "VACUUM", "Reclaims storage.", 0.5));
        double[] titleOnly = new double[RankingFeatures.NAMES.size()];
        titleOnly[RankingFeatures.NAMES.indexOf("title_terms")] = 1;
        var byTitle = new LearnedReranker(titleOnly, "test", null);
        var request = new Reranker.RerankRequest("VACUUM", candidates, candidates, List.of());
        // The fused order put the introduction first; a title that names the query's term wins.
        assertThat(ids(byTitle.rerank(request).ranked())).containsExactly("vacuum#0", "intro#0");

        double[][] rows = RankingFeatures.of(request, null);
        assertThat(rows).hasNumberOfRows(2);
        assertThat(rows[1][RankingFeatures.NAMES.indexOf("title_terms")]).isEqualTo(1.0);
        assertThat(rows[0][RankingFeatures.NAMES.indexOf("title_terms")]).isZero();
        assertThat(rows[0][RankingFeatures.NAMES.indexOf("fused_rr")]).isEqualTo(1.0);
        assertThat(rows[1][RankingFeatures.NAMES.indexOf("fused_rr")]).isEqualTo(0.5);
        assertThat(rows[0][RankingFeatures.MAXSIM]).isZero();
        assertThat(LearnedReranker.score(titleOnly, rows[1])).isEqualTo(1.0);
    }

    @Test
    void theShippedWeightsAreTrainedAndUseNoMaxSim() {
        LearnedReranker shipped = LearnedReranker.shipped(null);
        assertThat(shipped.trainedOn()).isNotEqualTo("none").isNotBlank();
    }

    @Test
    void badWeightFilesAreRejectedWithTheirProblemNamed(@TempDir Path dir) throws Exception {
        Path unknown = dir.resolve("unknown.properties");
        Files.writeString(unknown, "weight.cosine=1\nweight.colour=2\n");
        assertThatThrownBy(() -> LearnedReranker.read(unknown, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown feature 'weight.colour'");
        Path notANumber = dir.resolve("nan.properties");
        Files.writeString(notANumber, "weight.cosine=high\n");
        assertThatThrownBy(() -> LearnedReranker.read(notANumber, null))
                .hasMessageContaining("weight.cosine is not a number");
        Path maxSim = dir.resolve("maxsim.properties");
        Files.writeString(maxSim, "weight.maxsim=0.5\n");
        assertThatThrownBy(() -> LearnedReranker.read(maxSim, null))
                .hasMessageContaining("give a MaxSimReranker");
        assertThatThrownBy(() -> LearnedReranker.read(dir.resolve("missing.properties"), null))
                .hasMessageContaining("cannot read ranker weights");
        assertThatThrownBy(() -> new LearnedReranker(new double[2], "x", null))
                .hasMessageContaining("expected " + RankingFeatures.NAMES.size() + " weights, got 2");
    }

    @Test
    void aRerankResultKeepsEveryCandidate() {
        List<ScoredChunk> many = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            many.add(chunk("p" + (i % 4) + "#" + i, "Page " + i, "text " + i, 1.0 / (1 + i)));
        }
        double[] weights = new double[RankingFeatures.NAMES.size()];
        weights[RankingFeatures.NAMES.indexOf("fused")] = 1;
        var result = new LearnedReranker(weights, "x", null).rerank(new Reranker.RerankRequest("text", many, many,
                many));
        assertThat(ids(result.ranked())).containsExactlyInAnyOrderElementsOf(ids(many));
        assertThat(Reranker.NONE.rerank(new Reranker.RerankRequest("q", many, List.of(), List.of())).ranked())
                .isEqualTo(many);
    }
}
