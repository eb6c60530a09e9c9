package dev.sextant.app;

import dev.sextant.app.ingest.IngestCommand;
import dev.sextant.app.server.EmbeddingsCommand;
import dev.sextant.app.server.InferenceCommand;
import dev.sextant.app.server.RouterCommand;
import dev.sextant.app.server.ServeCommand;
import picocli.CommandLine;

/** The top command; evaluation and benchmark commands are added by {@link SextantMain} when the build has them. */
@CommandLine.Command(name = "sextant", mixinStandardHelpOptions = true, version = "sextant 0.1.0",
        description = "RAG-backed LLM chat serving stack.",
        subcommands = {ServeCommand.class, RouterCommand.class, InferenceCommand.class, EmbeddingsCommand.class,
            IngestCommand.class})
public class SextantCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required ("
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
