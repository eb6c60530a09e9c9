package dev.sextant.router.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
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

    public static void main(String... args) {
        BootOptions.apply(List.of(args));
        Quarkus.run(SextantMain.class, args);
    }

    @Override
    public int run(String... args) {
        return new CommandLine(SextantCommand.class, factory)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }
}
