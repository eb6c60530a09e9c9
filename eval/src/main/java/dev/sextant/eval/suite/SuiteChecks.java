package dev.sextant.eval.suite;

import dev.sextant.eval.conversation.LabelledConversation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The checks a suite passes before it runs; each failure names the file, line and field. */
final class SuiteChecks {

    private final Path file;
    private final Map<String, Integer> lines;
    private final Path directory;

    SuiteChecks(Path file, Map<String, Integer> lines, Path directory) {
        this.file = file;
        this.lines = lines;
        this.directory = directory;
    }

    void check(SuiteDefinition s) {
        if (s.name() == null || s.name().isBlank() || !s.name().matches("[A-Za-z0-9_.-]+")) {
            fail("name", "'name' is required: letters, digits, '.', '_' or '-'");
        }
        if (s.questions() == null) {
            fail("questions", "'questions' is required (a JSON file of questions)");
        }
        existingFile("questions", s.questions());
        if (s.conversations() != null) {
            existingFile("conversations", s.conversations());
            try {
                LabelledConversation.readAll(directory.resolve(s.conversations()));
            } catch (IllegalArgumentException e) {
                fail("conversations", e.getMessage());
            } catch (java.io.IOException e) {
                fail("conversations", "cannot read " + directory.resolve(s.conversations()).normalize() + ": "
                        + e.getMessage());
            }
        }
        checkCorpus(s);
        if (s.retrieval() != null) {
            if (s.retrieval().modes() != null) {
                if (s.retrieval().modes().isEmpty()) {
                    fail("retrieval.modes", "'modes' must list at least one of " + SuiteMetrics.MODES);
                }
                for (String mode : s.retrieval().modes()) {
                    if (!SuiteMetrics.MODES.contains(mode)) {
                        fail("retrieval.modes", "unknown mode '" + mode + "'; expected " + SuiteMetrics.MODES);
                    }
                }
            }
            range("retrieval.top_k", s.retrieval().topK(), 1, 100);
        }
        if (s.answers() != null) {
            range("answers.limit", s.answers().limit(), 1, 100_000);
            range("answers.max_tokens", s.answers().maxTokens(), 1, 4096);
        }
        if (s.cachePairs() != null) {
            if (s.cachePairs().file() == null) {
                fail("cache_pairs.file", "'file' is required (a JSON file of question pairs)");
            }
            existingFile("cache_pairs.file", s.cachePairs().file());
            range("cache_pairs.limit", s.cachePairs().limit(), 1, 100_000);
        }
        if (s.load() != null) {
            List<Double> rates = s.load().rates();
            if (rates == null || rates.isEmpty() || rates.stream().anyMatch(r -> r == null || !(r > 0))) {
                fail("load.rates", "'rates' must be a non-empty list of requests per second > 0");
            }
            range("load.seconds", s.load().seconds(), 1, 3600);
            range("load.warmup_seconds", s.load().warmupSeconds(), 0, 600);
            range("load.max_tokens", s.load().maxTokens(), 1, 4096);
        }
        if (s.thresholds() != null) {
            s.thresholds().forEach((metric, t) -> {
                knownMetric("thresholds." + metric, metric);
                if (t == null || (t.min() == null && t.max() == null)) {
                    fail("thresholds." + metric, "give 'min' or 'max' for " + metric);
                }
            });
        }
        if (s.maxRegression() != null) {
            s.maxRegression().forEach((metric, allowed) -> {
                if (!metric.equals("default")) {
                    knownMetric("max_regression." + metric, metric);
                }
                if (allowed == null || allowed < 0) {
                    fail("max_regression." + metric, "the allowed regression must be a number >= 0");
                }
            });
        }
        if (s.baseline() != null && !Files.isRegularFile(directory.resolve(s.baseline()))) {
            fail("baseline", "baseline results file not found: " + directory.resolve(s.baseline()).normalize()
                    + " (run the suite once with --out to make one)");
        }
        if (s.target() != null && s.target().url() != null && !s.target().url().matches("https?://.+")) {
            fail("target.url", "'url' must be an http(s) URL, got '" + s.target().url() + "'");
        }
    }

    private void checkCorpus(SuiteDefinition s) {
        var corpus = s.corpus();
        boolean external = s.target() != null && s.target().url() != null;
        if (corpus == null) {
            if (!external) {
                fail("corpus", "'corpus' is required when the runner starts the server itself (no target.url)");
            }
            return;
        }
        boolean hasPaths = corpus.paths() != null && !corpus.paths().isEmpty();
        if (hasPaths == (corpus.dataDir() != null)) {
            fail("corpus", "give either 'paths' (documents to ingest) or 'data_dir' (an existing data dir)");
        }
        if (hasPaths) {
            for (String p : corpus.paths()) {
                if (!Files.exists(directory.resolve(p))) {
                    fail("corpus.paths", "no such file or directory: " + directory.resolve(p).normalize());
                }
            }
        } else if (!Files.isDirectory(directory.resolve(corpus.dataDir()))) {
            fail("corpus.data_dir", "no such directory: " + directory.resolve(corpus.dataDir()).normalize());
        }
    }

    private void existingFile(String field, String path) {
        if (path != null && !Files.isRegularFile(directory.resolve(path))) {
            fail(field, "file not found: " + directory.resolve(path).normalize());
        }
    }

    private void range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            fail(field, "must be between " + min + " and " + max + ", got " + value);
        }
    }

    private void knownMetric(String field, String metric) {
        if (!SuiteMetrics.known().contains(metric)) {
            fail(field, "unknown metric '" + metric + "'; metrics are named like retrieval.hybrid.recall@5, "
                    + "answers.groundedness, cache.false_hit_rate, latency.total.p99_ms, cost.total_usd, "
                    + "conversations.followup.recall@5");
        }
    }

    private void fail(String field, String message) {
        Integer line = lines.get(field);
        if (line == null && field.contains(".")) {
            line = lines.get(field.substring(0, field.indexOf('.')));
        }
        throw new SuiteException(file + (line != null ? ":" + line : "") + ": " + field + ": " + message);
    }
}
