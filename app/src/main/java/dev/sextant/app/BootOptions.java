package dev.sextant.app;

import java.util.List;
import java.util.Set;

/**
 * Reads the few command-line options that must be known before the application boots and sets them as system
 * properties, which take precedence over application.properties and the environment.
 */
final class BootOptions {

    /** Commands that run a server; every other command needs no HTTP listener and no chat model. */
    private static final Set<String> SERVER_COMMANDS = Set.of("serve", "router", "inference", "embeddings");

    private BootOptions() {
    }

    static void apply(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            if (arg.startsWith("--data-dir=")) {
                System.setProperty("sextant.data-dir", arg.substring("--data-dir=".length()));
            } else if (arg.equals("--data-dir") && value != null) {
                System.setProperty("sextant.data-dir", value);
            } else if (arg.startsWith("--store=")) {
                System.setProperty("sextant.store.type", arg.substring("--store=".length()));
            } else if (arg.equals("--store") && value != null) {
                System.setProperty("sextant.store.type", value);
            } else if (arg.startsWith("--port=")) {
                System.setProperty("quarkus.http.port", arg.substring("--port=".length()));
            } else if (arg.equals("--port") && value != null) {
                System.setProperty("quarkus.http.port", value);
            }
        }
        String command = args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
        if (command.equals("router")) {
            System.setProperty("sextant.role", command);
        }
        if (command.equals("inference") || command.equals("embeddings")) {
            System.setProperty("sextant.role", command);
            if (System.getProperty("quarkus.http.port") == null) {
                System.setProperty("quarkus.http.port", command.equals("inference") ? "8090" : "8091");
            }
        }
        if (!SERVER_COMMANDS.contains(command) || args.contains("--help") || args.contains("-h")) {
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("sextant.warm-up", "false");
            // A CLI run should print its own output, not the server's start and stop lines.
            System.setProperty("quarkus.log.category.\"io.quarkus\".level", "WARN");
        }
    }
}
