package dev.sextant.app.e2e;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fresh data dir for each test run, so tests never see a previous run's store. Registered once for all
 * {@code @QuarkusTest}s, so they share one application instead of restarting it.
 */
public class TempDataDir implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("sextant-test-data");
            return Map.of("sextant.data-dir", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // left for inspection after a failure; it lives under the system temp dir
    }
}
