package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import dev.sextant.app.ingest.IngestProgressPrinter;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.eval.conversation.ConversationRewriters;
import dev.sextant.eval.conversation.ConversationRun;
import dev.sextant.eval.conversation.HttpChatModel;
import dev.sextant.eval.conversation.LabelledConversation;
import dev.sextant.eval.retrieval.LabelledQuestion;
import dev.sextant.eval.retrieval.RetrievalRun;
import dev.sextant.ingestion.Ingestor;
import dev.sextant.rag.chunk.ChunkingPolicy;
import dev.sextant.rag.conversation.QueryRewriter;
import jakarta.enterprise.context.Dependent;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/** {@link ConversationRun} from the command line. */
@Dependent
@CommandLine.Command(name = "eval-conversations", mixinStandardHelpOptions = true,
        description = "Retrieval quality of follow-up questions: ingest --corpus as eval-retrieval does, rewrite "
                + "every turn of --conversations with each --rewrite method from the conversation so far (reference "
                + "answers as the assistant's turns), retrieve it (hybrid, page fusion, top 10 chunks) and print "
                + "recall@1/5 and MRR@10 of first turns vs follow-ups, with the rewrite time.")
public class EvalConversationsCommand implements Callable<Integer>, ToolCommand {

    private static final String NAME = "sextant eval-conversations: ";
    private static final Logger INGESTOR_LOG = Logger.getLogger(Ingestor.class.getName());

    @CommandLine.Option(names = "--corpus", paramLabel = "DIR", description = "Directory to ingest (as "
            + "eval-retrieval).")
    Path corpus;

    @CommandLine.Option(names = "--conversations", paramLabel = "FILE", description = "JSON array of {\"id\", "
            + "\"turns\": [{\"question\", \"gold\", \"answer\", \"kind\": first|followup|unanswerable}]}.")
    Path conversations;

    @CommandLine.Option(names = "--rewrite", split = ",", paramLabel = "METHOD", defaultValue = "last,fold",
            description = "Comma-separated: last, fold, model, fold-previous, fold-always, fold-answer "
                    + "(default last,fold; model needs --chat-url).")
    List<String> rewrite;

    @CommandLine.Option(names = "--chat-url", paramLabel = "URL", description = "An OpenAI-compatible server for "
            + "--rewrite model, e.g. ./sextant inference on http://127.0.0.1:8090.")
    URI chatUrl;

    @CommandLine.Option(names = "--chat-key-env", paramLabel = "VAR", description = "Environment variable holding "
            + "the API key for --chat-url.")
    String chatKeyEnv;

    @CommandLine.Option(names = "--model", defaultValue = "all-minilm-l6-v2-q", description = "Embedding model "
            + "(as eval-retrieval).")
    String model;

    @CommandLine.Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the index in "
            + "DIR/eval-index/... and reuse it (the same one eval-retrieval keeps); default: a temporary one.")
    Path dataDir;

    @CommandLine.Option(names = "--out", paramLabel = "FILE.json", description = "Also write every turn's "
            + "query and ranking as JSON here.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String problem = checkArguments();
        if (problem != null) {
            return fail(err, problem);
        }
        List<LabelledConversation> labelled;
        Map<String, QueryRewriter> rewriters;
        EncoderSpec encoder;
        try {
            labelled = LabelledConversation.readAll(conversations);
            String key = chatKeyEnv == null ? null : System.getenv(chatKeyEnv);
            rewriters = ConversationRewriters.named(rewrite, () -> new HttpChatModel(chatUrl, key,
                    Duration.ofSeconds(60)));
            encoder = EncoderSpec.forModel(model);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            return fail(err, e.getMessage());
        }
        // The gold check of eval-retrieval, on the turns as questions.
        List<LabelledQuestion> turns = new ArrayList<>();
        for (LabelledConversation c : labelled) {
            for (int i = 0; i < c.turns().size(); i++) {
                turns.add(new LabelledQuestion(c.id() + "/" + (i + 1), c.turns().get(i).question(),
                        c.turns().get(i).gold(), c.turns().get(i).kind().label()));
            }
        }
        RetrievalRun.GoldCheck gold = RetrievalRun.GoldCheck.of(turns, corpus);
        if (gold.noneFound()) {
            return fail(err, "none of the " + gold.gold().size() + " gold sources of " + conversations
                    + " is a file under " + corpus + " (wrong --corpus?)");
        }
        if (!gold.missing().isEmpty()) {
            err.println("warning: " + gold.missing().size() + " gold sources are not under " + corpus + ": "
                    + String.join(", ", gold.missing()));
        }
        INGESTOR_LOG.setLevel(Level.WARNING);
        IngestProgressPrinter printer = new IngestProgressPrinter(err, System.console() != null);
        RetrievalRun.Request retrieval = new RetrievalRun.Request(corpus, turns, encoder, "embedded", null,
                ChunkingPolicy.DEFAULTS, dataDir, null, false, null);
        try {
            new ConversationRun(spec.commandLine().getOut(), err, RetrievalRun.Progress.of(printer, printer::finish))
                    .run(new ConversationRun.Request(retrieval, labelled, rewriters, out));
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
        return 0;
    }

    private String checkArguments() {
        if (corpus == null || conversations == null) {
            return "--corpus DIR and --conversations FILE are required";
        }
        if (!Files.isDirectory(corpus)) {
            return "--corpus " + corpus + " is not a directory";
        }
        if (!Files.isRegularFile(conversations) || !Files.isReadable(conversations)) {
            return "--conversations " + conversations + " is not a readable file";
        }
        if (rewrite.isEmpty() || Set.copyOf(rewrite).size() != rewrite.size()) {
            return "--rewrite must name each method once";
        }
        for (String r : rewrite) {
            if (!ConversationRewriters.NAMES.containsKey(r)) {
                return "--rewrite: unknown method '" + r + "'; expected " + String.join(", ",
                        ConversationRewriters.NAMES.keySet());
            }
        }
        if (rewrite.contains("model") && chatUrl == null) {
            return "--rewrite model needs --chat-url (an OpenAI-compatible server, e.g. ./sextant inference)";
        }
        if (chatUrl != null && (chatUrl.getScheme() == null || !chatUrl.getScheme().startsWith("http"))) {
            return "--chat-url must be an http(s) URL, got '" + chatUrl + "'";
        }
        if (out != null && Files.isDirectory(out)) {
            return "--out " + out + " is a directory";
        }
        return null;
    }

    private static int fail(PrintWriter err, String message) {
        err.println(NAME + message);
        return 2;
    }
}
