package dev.sextant.eval.suite;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A suite file as written (YAML, snake_case keys); {@link SuiteLoader} reads and checks it. Paths are relative to the
 * suite file's directory. See eval/README.md for a commented example.
 *
 * @param name          shown in reports and used to name output files
 * @param corpus        documents to ingest into the target; absent with a URL target that already holds them
 * @param target        what to evaluate: the all-in-one server started by the runner (default), or a URL
 * @param questions     a JSON file of questions ({@code id, question, gold[], answer?, kind?}); no gold =
 *                      unanswerable
 * @param retrieval     which retriever modes to score and how deep
 * @param answers       whether and how many questions get a generated answer scored
 * @param cachePairs    a JSON file of question pairs ({@code id, a, b, same_answer}) for the response cache
 * @param load          an optional open-loop load profile
 * @param thresholds    absolute limits: metric name to {@code {min: x}} or {@code {max: x}}
 * @param baseline      results JSON of an earlier run to compare with
 * @param maxRegression metric name to the worsening allowed against the baseline (absolute units of the metric;
 *                      {@code default} applies to every compared metric not listed)
 * @param conversations a JSON file of labelled conversations ({@code id, turns: [question, gold[], answer,
 *                      kind]}, the format of {@code eval/corpora/*}{@code /conversations.json}), played turn by turn
 */
public record SuiteDefinition(String name, Corpus corpus, Target target, String questions, Retrieval retrieval,
                              Answers answers, @JsonProperty("cache_pairs") CachePairs cachePairs, Load load,
                              Map<String, Threshold> thresholds, String baseline,
                              @JsonProperty("max_regression") Map<String, Double> maxRegression,
                              String conversations) {

    /**
     * @param paths   directories or files, ingested as {@code ./sextant ingest} does
     * @param dataDir an existing data dir to evaluate as it is (instead of {@code paths})
     */
    public record Corpus(List<String> paths, List<String> include, List<String> exclude,
                         @JsonProperty("data_dir") String dataDir) {
    }

    /**
     * @param url        a running router or all-in-one server; absent: the runner starts {@code ./sextant serve}
     * @param apiKeyEnv  the environment variable holding the API key for {@code url}
     * @param adminKeyEnv the environment variable holding its admin key (the cache pairs flush the cache)
     */
    public record Target(String url, @JsonProperty("api_key_env") String apiKeyEnv,
                         @JsonProperty("admin_key_env") String adminKeyEnv) {
    }

    /** @param modes any of {@code hybrid}, {@code dense}, {@code keyword}; default hybrid only */
    public record Retrieval(List<String> modes, @JsonProperty("top_k") Integer topK) {
    }

    /**
     * @param limit     answer the first N questions only (generation is the slow part); absent: all
     * @param maxTokens per answer
     */
    public record Answers(Boolean enabled, Integer limit, @JsonProperty("max_tokens") Integer maxTokens) {
    }

    public record CachePairs(String file, Integer limit) {
    }

    public record Load(List<Double> rates, Integer seconds, @JsonProperty("warmup_seconds") Integer warmupSeconds,
                       @JsonProperty("max_tokens") Integer maxTokens) {
    }

    public record Threshold(Double min, Double max) {
    }

    /** Where relative paths of a suite point. */
    public static Path resolve(Path suiteDir, String path) {
        return suiteDir.resolve(path).normalize();
    }
}
