package dev.sextant.eval.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.eval.retrieval.RetrievalEvaluation;
import dev.sextant.rag.chunk.ChunkingPolicy;
import dev.sextant.rag.conversation.ConversationTurn;
import dev.sextant.rag.store.lucene.LuceneChunkStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation end to end on a four-page corpus with the real embedder and Lucene: a follow-up that names nothing
 * of its subject misses its page when searched alone and finds it once the earlier question is folded in.
 */
class ConversationEvaluationTest {

    @TempDir
    Path dir;

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void followUpsAreScoredApartAndTheFoldFindsTheirPage() throws IOException {
        Path corpus = dir.resolve("corpus");
        write(corpus.resolve("git/rebase.md"), "# Rebase\n\ngit rebase replays the commits of a branch on top of "
                + "another branch. To undo a rebase that went wrong, find the old commit with git reflog and reset "
                + "the branch to it.\n");
        write(corpus.resolve("redis/expire.md"), "# EXPIRE\n\nSet a timeout on a Redis key. After the timeout the "
                + "key is deleted; PERSIST removes the timeout again.\n");
        write(corpus.resolve("postgres/vacuum.md"), "# VACUUM\n\nVACUUM reclaims storage occupied by dead tuples. "
                + "To undo nothing: it cannot be reversed, and it needs no undo.\n");
        write(corpus.resolve("sqlite/wal.md"), "# WAL\n\nPRAGMA journal_mode=WAL switches a database to "
                + "write-ahead logging; journal_mode=DELETE switches it back.\n");
        Path file = dir.resolve("conversations.json");
        Files.writeString(file, """
                [{"id": "c1", "turns": [
                  {"question": "How do I replay my branch's commits on top of another branch with git?", "gold": ["git/rebase.md"], "answer": "Use git rebase.", "kind": "first"},
                  {"question": "And how do I undo it?", "gold": ["git/rebase.md"], "answer": "git reflog, then reset.", "kind": "followup"},
                  {"question": "What will the weather be like in Paris tomorrow?", "gold": [], "answer": null, "kind": "unanswerable"}]}]
                """);
        List<LabelledConversation> conversations = LabelledConversation.readAll(file);
        assertThat(conversations.get(0).messagesUpTo(1)).containsExactly(
                ConversationTurn.user("How do I replay my branch's commits on top of another branch with git?"),
                ConversationTurn.assistant("Use git rebase."), ConversationTurn.user("And how do I undo it?"));

        try (OnnxEmbeddingModel model = new OnnxEmbeddingModel(EncoderSpec.forModel("all-minilm-l6-v2-q"),
                EmbedderOptions.defaults());
             LuceneChunkStore store = new LuceneChunkStore(dir.resolve("index"), model.dimension())) {
            RetrievalEvaluation retrieval = new RetrievalEvaluation(model, store, "t");
            retrieval.ingest(corpus, ChunkingPolicy.DEFAULTS.limits(model.maxTokens()), p -> { });
            ConversationEvaluation evaluation = new ConversationEvaluation(
                    q -> retrieval.rank(q, ConversationRun.METHOD, Set.of()).sources());
            ConversationReport report = evaluation.evaluate(conversations,
                    ConversationRewriters.named(List.of("last", "fold"), () -> null),
                    ConversationEvaluation.ProgressListener.NONE);

            var last = report.method("last");
            var fold = report.method("fold");
            assertThat(last.first().turns()).isEqualTo(1);
            assertThat(last.followup().turns()).isEqualTo(1);
            assertThat(last.laterTurns()).isEqualTo(2);
            assertThat(last.first().recallAt1()).isEqualTo(1.0);
            assertThat(fold.first().recallAt1()).isEqualTo(1.0);
            assertThat(last.followup().recallAt1()).as("'undo it' alone").isZero();
            assertThat(fold.followup().recallAt1()).as("folded with the rebase question").isEqualTo(1.0);
            assertThat(last.rewritten()).isZero();
            assertThat(fold.rewritten()).as("the follow-up; the weather question stands alone").isEqualTo(1);

            var turns = report.turns().get("fold");
            assertThat(turns.get(1).query()).isEqualTo(
                    "How do I replay my branch's commits on top of another branch with git?\nAnd how do I undo it?");
            assertThat(turns.get(1).how()).isEqualTo("folded");
            assertThat(turns.get(2).recallAt5()).isNaN();
            assertThat(report.markdownTable()).contains("| fold | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1/2 |");

            Path json = dir.resolve("out/report.json");
            report.writeJson(json);
            var tree = new ObjectMapper().readTree(json.toFile());
            assertThat(tree.path("methods").get(1).path("followup").path("recall_at1").asDouble()).isEqualTo(1.0);
            assertThat(tree.path("turns").path("fold").get(1).path("how").asText()).isEqualTo("folded");
        }
    }
}
