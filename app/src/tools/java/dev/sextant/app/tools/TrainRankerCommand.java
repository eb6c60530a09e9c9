package dev.sextant.app.tools;

import dev.sextant.app.ToolCommand;
import dev.sextant.app.ingest.IngestProgressPrinter;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.eval.retrieval.LabelledQuestion;
import dev.sextant.eval.retrieval.RetrievalRun;
import dev.sextant.ingestion.Ingestor;
import dev.sextant.rag.chunk.ChunkingPolicy;
import jakarta.enterprise.context.Dependent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/** {@link RetrievalRun#train} from the command line. */
@Dependent
@CommandLine.Command(name = "train-ranker", mixinStandardHelpOptions = true,
        description = "Fits the learned reranker's weights on a labelled corpus: ingest --corpus as eval-retrieval "
                + "does (reusing its index under --data-dir), take each answerable question's hybrid-page "
                + "candidates, fit a softmax over them to the gold pages and write the weights to --out. Measure "
                + "them on ANOTHER corpus: eval-retrieval --ranker-weights FILE.")
public class TrainRankerCommand implements Callable<Integer>, ToolCommand {

    private static final String NAME = "sextant train-ranker: ";
    /** Held so the level set on it is not lost to garbage collection. */
    private static final Logger INGESTOR_LOG = Logger.getLogger(Ingestor.class.getName());

    @CommandLine.Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Directory to "
            + "ingest; a chunk's source is its path relative to DIR, which is what gold labels name.")
    Path corpus;

    @CommandLine.Option(names = "--questions", required = true, paramLabel = "FILE", description = "Labelled "
            + "questions, as eval-retrieval reads them.")
    Path questions;

    @CommandLine.Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where "
            + "eval-retrieval keeps (or this command builds) the index.")
    Path dataDir;

    @CommandLine.Option(names = "--out", required = true, paramLabel = "FILE.properties", description = "Where to "
            + "write the weights.")
    Path out;

    @CommandLine.Option(names = "--maxsim", description = "Let the weights use the MaxSim feature (costs its "
            + "latency at query time).")
    boolean maxSim;

    @CommandLine.Option(names = "--model", defaultValue = "all-minilm-l6-v2-q", description = "Embedding model, as "
            + "for eval-retrieval.")
    String model;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(corpus)) {
            return fail(err, "--corpus " + corpus + " is not a directory");
        }
        if (!Files.isRegularFile(questions)) {
            return fail(err, "--questions " + questions + " is not a readable file");
        }
        if (Files.isDirectory(out)) {
            return fail(err, "--out " + out + " is a directory");
        }
        List<LabelledQuestion> labelled;
        try {
            labelled = LabelledQuestion.readAll(questions);
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
        INGESTOR_LOG.setLevel(Level.WARNING);
        IngestProgressPrinter printer = new IngestProgressPrinter(err, System.console() != null);
        try {
            new RetrievalRun(spec.commandLine().getOut(), err, RetrievalRun.Progress.of(printer, printer::finish))
                    .train(new RetrievalRun.Request(corpus, labelled, EncoderSpec.forModel(model), "embedded", null,
                            ChunkingPolicy.DEFAULTS, dataDir, null, false, null), maxSim, out);
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
        return 0;
    }

    private static int fail(PrintWriter err, String message) {
        err.println(NAME + message);
        return 2;
    }
}
