package dev.sextant.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's sample corpus and its labelled questions (samples/). */
final class SampleCorpus {

    record Question(String question, String source) {
    }

    static final Path ROOT = Path.of("..", "samples").toAbsolutePath().normalize();

    private SampleCorpus() {
    }

    static Path corpus() {
        return ROOT.resolve("corpus");
    }

    static List<Question> answerableQuestions() {
        try {
            JsonNode all = new ObjectMapper().readTree(ROOT.resolve("questions.json").toFile());
            List<Question> out = new ArrayList<>();
            for (JsonNode q : all) {
                if (q.hasNonNull("source")) {
                    out.add(new Question(q.get("question").asText(), q.get("source").asText()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
