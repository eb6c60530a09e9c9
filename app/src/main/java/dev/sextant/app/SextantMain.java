package dev.sextant.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;

/**
 * Entry point of the sextant binary. Options that decide how the application boots ({@code --data-dir},
 * {@code --port}) are turned into configuration before Quarkus starts; the rest is picocli's.
 */
@QuarkusMain
public class SextantMain implements QuarkusApplication {

    @Inject
    CommandLine.IFactory factory;

    @Inject
    @Any
    Instance<ToolCommand> tools;

    public static void main(String... args) {
        BootOptions.apply(List.of(args));
        Quarkus.run(SextantMain.class, args);
    }

    @Override
    public int run(String... args) {
        CommandLine commandLine = new CommandLine(SextantCommand.class, factory);
        tools.stream().sorted(Comparator.comparing(SextantMain::commandName))
                .forEach(tool -> commandLine.addSubcommand(new CommandLine(tool, factory)));
        return commandLine
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(SextantMain::usageError)
                .execute(args);
    }

    private static String commandName(ToolCommand tool) {
        return tool.getClass().getAnnotation(CommandLine.Command.class).name();
    }

    /** A bad command line: the error, a close match if there is one, and the usage with every command. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        var err = cmd.getErr();
        err.println(e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                err.println("Did you mean: " + String.join(" or ", suggestions) + "?");
            }
        }
        cmd.usage(err);
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
}
