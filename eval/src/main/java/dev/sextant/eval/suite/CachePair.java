package dev.sextant.eval.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A pair of questions for the response cache: should the second be answered with the first one's answer? */
public record CachePair(String id, String first, String second, boolean paraphrase) {

    public static List<CachePair> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new SuiteException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        List<CachePair> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode p = root.get(i);
            if (!p.hasNonNull("a") || !p.hasNonNull("b") || !p.path("same_answer").isBoolean()) {
                throw new SuiteException(file + ": pair [" + i + "] needs 'a', 'b' and a boolean 'same_answer'");
            }
            out.add(new CachePair(p.path("id").asText("pair-" + i), p.get("a").asText(), p.get("b").asText(),
                    p.get("same_answer").asBoolean()));
        }
        if (out.isEmpty()) {
            throw new SuiteException(file + ": expected a non-empty JSON array of pairs");
        }
        return out;
    }
}
