package dev.sextant.eval.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One question of a suite: gold sources (none: the corpus cannot answer it) and an optional reference answer.
 * Read from the questions JSON of {@code eval/corpora/*}: {@code [{"id", "question", "gold": [...], "answer"?,
 * "kind"?}]}.
 */
public record SuiteQuestion(String id, String question, Set<String> gold, String reference, String kind) {

    public boolean answerable() {
        return !gold.isEmpty();
    }

    public static List<SuiteQuestion> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new SuiteException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isArray() || root.isEmpty()) {
            throw new SuiteException(file + ": expected a non-empty JSON array of questions");
        }
        List<SuiteQuestion> out = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode q = root.get(i);
            String id = q.path("id").asText("q" + (i + 1));
            String text = q.path("question").asText("");
            if (text.isBlank()) {
                throw new SuiteException(file + ": question [" + i + "] (" + id + ") has no 'question' text");
            }
            if (!ids.add(id)) {
                throw new SuiteException(file + ": question id '" + id + "' appears twice");
            }
            Set<String> gold = new LinkedHashSet<>();
            q.path("gold").forEach(g -> gold.add(g.asText()));
            String reference = q.hasNonNull("answer") ? q.get("answer").asText() : null;
            out.add(new SuiteQuestion(id, text, Set.copyOf(gold), reference, q.path("kind").asText("")));
        }
        return out;
    }

    /** A pair of questions for the response cache: should the second be answered with the first one's answer? */
    public record Pair(String id, String first, String second, boolean paraphrase) {

        public static List<Pair> read(Path file) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(file.toFile());
            } catch (IOException e) {
                throw new SuiteException(file + ": not valid JSON: " + e.getMessage(), e);
            }
            List<Pair> out = new ArrayList<>();
            for (int i = 0; i < root.size(); i++) {
                JsonNode p = root.get(i);
                if (!p.hasNonNull("a") || !p.hasNonNull("b") || !p.path("same_answer").isBoolean()) {
                    throw new SuiteException(file + ": pair [" + i + "] needs 'a', 'b' and a boolean 'same_answer'");
                }
                out.add(new Pair(p.path("id").asText("pair-" + i), p.get("a").asText(), p.get("b").asText(),
                        p.get("same_answer").asBoolean()));
            }
            if (out.isEmpty()) {
                throw new SuiteException(file + ": expected a non-empty JSON array of pairs");
            }
            return out;
        }
    }
}
