package dev.sextant.eval.conversation;

import dev.sextant.eval.retrieval.RetrievalEvaluation;
import dev.sextant.eval.retrieval.RetrievalMethod;
import dev.sextant.eval.retrieval.RetrievalRun;
import dev.sextant.rag.conversation.QueryRewriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code eval-conversations} run: the corpus ingested as {@link RetrievalRun} does (a kept index is reused),
 * every conversation's turns rewritten by each rewriter and searched with the application's default retrieval
 * (hybrid, page fusion), the table printed and the JSON written.
 */
public final class ConversationRun {

    /** What the application searches with by default ({@code sextant.retrieval.mode=hybrid}, fusion {@code page}). */
    public static final RetrievalMethod METHOD = RetrievalMethod.HYBRID_PAGE;

    /**
     * @param retrieval corpus, model, store and index as for eval-retrieval ({@code questions} unused, {@code out}
     *                  unused)
     * @param out       the JSON report; null for none
     */
    public record Request(RetrievalRun.Request retrieval, List<LabelledConversation> conversations,
                          Map<String, QueryRewriter> rewriters, Path out) {
        public Request {
            Objects.requireNonNull(retrieval, "retrieval");
            conversations = List.copyOf(conversations);
            rewriters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rewriters));
        }
    }

    private final RetrievalRun run;
    private final PrintWriter out;
    private final PrintWriter err;

    public ConversationRun(PrintWriter out, PrintWriter err, RetrievalRun.Progress progress) {
        this.run = new RetrievalRun(out, err, progress);
        this.out = out;
        this.err = err;
    }

    public ConversationReport run(Request request) throws IOException {
        return run.run(request.retrieval(), (evaluation, limits) -> {
            run.ingest(request.retrieval(), evaluation, limits);
            ConversationEvaluation conversations = new ConversationEvaluation(
                    query -> evaluation.rank(query, METHOD, Set.of()).sources());
            ConversationReport report = conversations.evaluate(request.conversations(), request.rewriters(),
                    (method, done, total) -> {
                        if (done == total || done % 10 == 0) {
                            err.printf(Locale.ROOT, "%s: %d/%d conversations%n", method, done, total);
                            err.flush();
                        }
                    });
            long turns = request.conversations().stream().mapToLong(c -> c.turns().size()).sum();
            out.printf(Locale.ROOT, "%d conversations, %d turns, retrieval %s, top %d chunks -> distinct sources; "
                    + "history: earlier questions with their reference answers%n%n", request.conversations().size(),
                    turns, METHOD.label(), RetrievalEvaluation.TOP_K);
            out.print(report.markdownTable());
            if (request.out() != null) {
                report.writeJson(request.out());
                out.println();
                out.println("wrote " + request.out());
            }
            out.flush();
            return report;
        });
    }
}
