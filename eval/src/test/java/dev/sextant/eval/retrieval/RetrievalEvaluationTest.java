package dev.sextant.eval.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.rag.chunk.Chunk;
import dev.sextant.rag.chunk.ChunkLimits;
import dev.sextant.rag.chunk.ChunkingPolicy;
import dev.sextant.rag.conversation.ChatModel;
import dev.sextant.rag.retrieve.Evidence;
import dev.sextant.rag.retrieve.RetrievalResult;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner end to end on a three-page corpus, and the question file format. */
class RetrievalEvaluationTest {

    static OnnxEmbeddingModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadModel() {
        model = new OnnxEmbeddingModel(EncoderSpec.forModel("all-minilm-l6-v2-q"), EmbedderOptions.defaults());
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void ingestsUnderRelativeSourcesAndScoresEveryMode() throws IOException {
        Path corpus = dir.resolve("corpus");
        write(corpus.resolve("python/heapq.md"), "# heapq\n\nThe heapq module implements a priority queue: "
                + "heappush adds an item and heappop removes the smallest item of the heap.\n");
        write(corpus.resolve("redis/expire.md"), "# EXPIRE\n\nSet a timeout on a key. After the timeout has "
                + "expired, Redis deletes the key automatically; TTL shows the seconds left.\n");
        write(corpus.resolve("postgres/vacuum.md"), "# VACUUM\n\nVACUUM reclaims storage occupied by dead tuples "
                + "left behind by updates and deletes.\n");
        Path questionFile = dir.resolve("questions.json");
        Files.writeString(questionFile, """
                [
                  {"id": "q1", "question": "heappop smallest item priority queue", "gold": ["python/heapq.md"], "kind": "lookup"},
                  {"id": "q2", "question": "Redis key timeout expired", "gold": ["redis/expire.md"], "kind": "lookup"},
                  {"id": "q3", "question": "What does a yacht cost?", "gold": [], "kind": "unanswerable"}
                ]
                """);
        List<LabelledQuestion> questions = LabelledQuestion.readAll(questionFile);
        try (LuceneChunkStore store = new LuceneChunkStore(dir.resolve("index"), model.dimension())) {
            RetrievalEvaluation evaluation = new RetrievalEvaluation(model, store, "t");
            RetrievalEvaluation.IngestRun ingest = evaluation.ingest(corpus,
                    ChunkingPolicy.DEFAULTS.limits(model.maxTokens()), p -> { });
            assertThat(ingest.limits().maxTokens()).isEqualTo(96);
            assertThat(ingest.limits().modelTokens()).isEqualTo(128);
            assertThat(ingest.report().ingested()).isEqualTo(3);
            assertThat(ingest.inputs().chunks()).isEqualTo(3);
            assertThat(ingest.inputs().truncated()).isZero();
            assertThat(ingest.inputs().meanInputTokens()).isGreaterThan(ingest.inputs().meanTextTokens());
            assertThat(store.documents(new ChunkStore.DocumentListingRequest("t")).hashBySource().keySet())
                    .containsExactlyInAnyOrder("python/heapq.md", "redis/expire.md", "postgres/vacuum.md");

            RetrievalReport report = evaluation.evaluate(questions, "embedded", ingest);
            assertThat(report.answerable()).isEqualTo(2);
            // Without a chat model there is no chat judge to measure.
            assertThat(report.modes()).extracting(RetrievalReport.ModeSummary::mode)
                    .containsExactlyElementsOf(Arrays.stream(RetrievalMethod.values())
                            .filter(m -> m != RetrievalMethod.HYBRID_PAGE_CHAT).toList());
            for (RetrievalMethod mode : List.of(RetrievalMethod.DENSE, RetrievalMethod.KEYWORD, RetrievalMethod.HYBRID,
                    RetrievalMethod.HYBRID_PAGE, RetrievalMethod.HYBRID_PAGE_IDENT)) {
                RetrievalReport.ModeSummary summary = report.mode(mode);
                assertThat(summary.recallAt1()).as(mode + " recall@1").isEqualTo(1.0);
                assertThat(summary.mrrAt10()).as(mode + " MRR@10").isEqualTo(1.0);
                assertThat(summary.recallAt10()).isEqualTo(1.0);
            }
            assertThat(report.missed(RetrievalMethod.HYBRID)).isEmpty();
            // Three pages, three chunks: every ranking lists each page once.
            assertThat(report.outcomes().get(0).rankings().get(RetrievalMethod.DENSE).sources())
                    .hasSize(3).startsWith("python/heapq.md").doesNotHaveDuplicates();

            assertThat(report.markdownTable()).contains("| mode | recall@1 | recall@5 | recall@10 | MRR@10 |")
                    .contains("| dense | 1.000 |").contains("| keyword | 1.000 |").contains("| hybrid | 1.000 |");
            Path json = dir.resolve("out/results.json");
            report.writeJson(json);
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            assertThat(root.path("model").asText()).isEqualTo("all-minilm-l6-v2-q");
            assertThat(root.path("store").asText()).isEqualTo("embedded");
            assertThat(root.path("chunk_tokens").asInt()).isEqualTo(96);
            assertThat(root.path("ingest").path("documents_ingested").asInt()).isEqualTo(3);
            assertThat(root.path("heading_prefix").asText())
                    .isEqualTo(ChunkLimits.DEFAULT_HEADING_PREFIX.configValue());
            assertThat(root.path("embedding_inputs").path("chunks").asInt()).isEqualTo(3);
            assertThat(root.path("embedding_inputs").path("truncated").asInt()).isZero();
            assertThat(root.path("questions").path("unanswerable").asInt()).isEqualTo(1);
            assertThat(root.path("metrics").path("hybrid").path("recall@5").asDouble()).isEqualTo(1.0);
            assertThat(root.path("per_question")).hasSize(3);
            assertThat(root.path("per_question").get(1).path("keyword").path("first_gold_rank").asInt()).isEqualTo(1);

            // A judge that calls the Redis page relevant to everything puts it first for the heapq question too.
            ChatModel judge = request -> new ChatModel.Reply(request.messages().get(1).content()
                    .contains("Redis deletes") ? "yes" : "no", 1, 1);
            RetrievalReport judged = new RetrievalEvaluation(model, store, "t",
                    new RetrievalEvaluation.Tuning(null, null, judge)).evaluate(questions, "embedded", ingest);
            assertThat(judged.mode(RetrievalMethod.HYBRID_PAGE_CHAT).recallAt1()).isEqualTo(0.5);
            assertThat(judged.mode(RetrievalMethod.HYBRID_PAGE).recallAt1()).isEqualTo(1.0);

            // A second ingest of the same files writes nothing; removal empties the tenant.
            assertThat(evaluation.ingest(corpus, ChunkingPolicy.DEFAULTS.limits(model.maxTokens()), p -> { })
                    .report().unchanged()).isEqualTo(3);
            assertThat(evaluation.removeIngested()).isEqualTo(3);
            assertThat(store.documents(new ChunkStore.DocumentListingRequest("t")).hashBySource()).isEmpty();
        }
    }

    @Test
    void rankingKeepsTheFirstOccurrenceOfEachSource() {
        List<ChunkStore.ScoredChunk> matches = List.of(scored("a", 0.9), scored("a", 0.8), scored("c", 0.7),
                scored("b", 0.6), scored("a", 0.5), scored("b", 0.4));
        RetrievalReport.Ranking ranking = RetrievalEvaluation.ranking(new RetrievalResult(matches, 0, Evidence.NONE), Set.of("b"));
        assertThat(ranking.sources()).containsExactly("a", "c", "b");
        assertThat(ranking.firstGold()).isEqualTo(3);
        assertThat(ranking.topScore()).isEqualTo(0.9);
        assertThat(RetrievalEvaluation.ranking(new RetrievalResult(matches, 0, Evidence.NONE), Set.of("z")).firstGold()).isZero();
        assertThat(RetrievalEvaluation.ranking(new RetrievalResult(List.of(), 0, Evidence.NONE), Set.of("b")).topScore()).isNaN();
    }

    private static ChunkStore.ScoredChunk scored(String source, double score) {
        return new ChunkStore.ScoredChunk(new Chunk(source + score, "t", source, source, List.of(), "text", 0, "h"),
                score);
    }

    @Test
    void aMissingCorpusIsRefused() {
        try (LuceneChunkStore store = new LuceneChunkStore(dir.resolve("index"), model.dimension())) {
            assertThatThrownBy(() -> new RetrievalEvaluation(model, store, "t")
                    .ingest(dir.resolve("nope"), ChunkingPolicy.DEFAULTS.limits(model.maxTokens()), p -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a directory");
        }
    }

    @Test
    void questionFilesAreChecked() throws IOException {
        Path file = dir.resolve("q.json");
        Files.writeString(file, "{\"id\": 1}");
        assertThatThrownBy(() -> LabelledQuestion.readAll(file)).hasMessageContaining("JSON array");
        Files.writeString(file, "[{\"id\": \"a\", \"question\": \"x\"}]");
        assertThatThrownBy(() -> LabelledQuestion.readAll(file)).hasMessageContaining("\"gold\" array");
        Files.writeString(file, "[{\"id\": \"a\", \"question\": \"x\", \"gold\": [\"p\"]},"
                + " {\"id\": \"a\", \"question\": \"y\", \"gold\": []}]");
        assertThatThrownBy(() -> LabelledQuestion.readAll(file)).hasMessageContaining("appears twice");
        Files.writeString(file, "[{\"id\": \"a\", \"question\": \"x\", \"gold\": []}]");
        assertThatThrownBy(() -> LabelledQuestion.readAll(file)).hasMessageContaining("no question with a gold");
        Files.writeString(file, "[oops");
        assertThatThrownBy(() -> LabelledQuestion.readAll(file)).hasMessageContaining("not valid JSON");
    }

    @Test
    void theShippedPostgresQuestionsParse() throws IOException {
        List<LabelledQuestion> questions = LabelledQuestion.readAll(Path.of("corpora/postgresql-15/questions.json"));
        assertThat(questions).hasSize(60);
        assertThat(questions.stream().filter(LabelledQuestion::answerable)).hasSize(50);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
