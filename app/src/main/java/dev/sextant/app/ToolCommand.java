package dev.sextant.app;

/**
 * A command of the full build only (evaluation suites and benchmarks, with their baselines). Such commands are found
 * as beans at start-up instead of being listed in {@link SextantCommand}, so the server-only build
 * ({@code -Dsextant.server-only}, what the images ship) has none of them and none of their dependencies.
 */
public interface ToolCommand {
}
