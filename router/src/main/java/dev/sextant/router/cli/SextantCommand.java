package dev.sextant.router.cli;

import picocli.CommandLine;

@CommandLine.Command(name = "sextant", mixinStandardHelpOptions = true, version = "sextant 0.1.0",
        description = "RAG-backed LLM chat serving stack.",
        subcommands = {ServeCommand.class, RouterCommand.class, EvalCommand.class, BenchRouterCommand.class, InferenceCommand.class, EmbeddingsCommand.class, IngestCommand.class,
            BenchInferenceCommand.class, BenchEmbeddingsCommand.class, EvalRetrievalCommand.class,
            BenchIngestCommand.class})
public class SextantCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (serve, inference, embeddings, ingest, bench-inference, bench-embeddings, eval-retrieval, bench-ingest)");
    }
}
