package dev.sextant.eval.retrieval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One question of a retrieval question set.
 *
 * @param gold the sources (paths relative to the ingested root, as the store names them) that answer it; empty for
 *             a question the corpus cannot answer
 * @param kind free-form label (lookup, howto, unanswerable, ...), reported but not interpreted
 * @param reference a reference answer ({@code "answer"} in the file), for the eval suites' answer metrics; null when
 *                  none (not part of retrieval reports)
 */
public record LabelledQuestion(String id, String question, Set<String> gold, String kind,
                               @JsonIgnore String reference) {

    /** A question without a reference answer. */
    public LabelledQuestion(String id, String question, Set<String> gold, String kind) {
        this(id, question, gold, kind, null);
    }

    public LabelledQuestion {
        Objects.requireNonNull(id, "id");
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("question " + id + " has no text");
        }
        gold = Set.copyOf(new LinkedHashSet<>(gold));
        kind = kind == null ? "" : kind;
    }

    public boolean answerable() {
        return !gold.isEmpty();
    }

    /**
     * Reads a JSON array of {@code {"id", "question", "gold": [...], "kind", "answer"}} objects ({@code kind} and
     * {@code answer} optional, other fields ignored),
     * the format of {@code eval/corpora/*}{@code /questions.json}.
     *
     * @throws IllegalArgumentException naming the file and the problem when the file is not such an array
     */
    public static List<LabelledQuestion> readAll(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + " must hold a JSON array of questions");
        }
        List<LabelledQuestion> questions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            String id = node.path("id").asText(null);
            String text = node.path("question").asText(null);
            JsonNode gold = node.path("gold");
            if (id == null || text == null || text.isBlank() || !gold.isArray()) {
                throw new IllegalArgumentException(file + ": question #" + (i + 1)
                        + " needs a string \"id\", a non-empty \"question\" and a \"gold\" array");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException(file + ": question id " + id + " appears twice");
            }
            List<String> sources = new ArrayList<>();
            for (JsonNode source : gold) {
                if (!source.isTextual() || source.asText().isBlank()) {
                    throw new IllegalArgumentException(file + ": question " + id + " has a gold entry that is "
                            + "not a source name");
                }
                sources.add(source.asText());
            }
            questions.add(new LabelledQuestion(id, text, new LinkedHashSet<>(sources), node.path("kind").asText(""),
                    node.hasNonNull("answer") ? node.get("answer").asText() : null));
        }
        if (questions.stream().noneMatch(LabelledQuestion::answerable)) {
            throw new IllegalArgumentException(file + " has no question with a gold source to score");
        }
        return questions;
    }
}
