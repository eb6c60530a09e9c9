package dev.sextant.eval.conversation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.rag.conversation.ConversationTurn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One labelled conversation of {@code eval/corpora/*}{@code /conversations.json}: turns a user asks one after the
 * other, each with the pages that answer it.
 */
public record LabelledConversation(String id, List<Turn> turns) {

    /** What a turn is: the opening question, one that leans on the earlier turns, or one no page answers. */
    public enum Kind {
        FIRST, FOLLOWUP, UNANSWERABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label().equals(label)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * @param gold   sources that answer it; empty for an unanswerable turn
     * @param answer the reference answer, played as the assistant's turn of the history; null when none
     */
    public record Turn(String question, Set<String> gold, String answer, Kind kind) {
        public Turn {
            Objects.requireNonNull(question, "question");
            gold = Set.copyOf(new LinkedHashSet<>(gold));
            Objects.requireNonNull(kind, "kind");
        }
    }

    public LabelledConversation {
        Objects.requireNonNull(id, "id");
        turns = List.copyOf(turns);
    }

    /**
     * The messages a client sends when it asks turn {@code index} (0-based): every earlier question followed by
     * its reference answer as the assistant's turn (so what is measured does not depend on a model's answers), then
     * the turn's question.
     */
    public List<ConversationTurn> messagesUpTo(int index) {
        List<ConversationTurn> out = new ArrayList<>();
        for (int i = 0; i < index; i++) {
            Turn t = turns.get(i);
            out.add(ConversationTurn.user(t.question()));
            if (t.answer() != null && !t.answer().isBlank()) {
                out.add(ConversationTurn.assistant(t.answer()));
            }
        }
        out.add(ConversationTurn.user(turns.get(index).question()));
        return out;
    }

    /**
     * Reads a JSON array of {@code {"id", "turns": [{"question", "gold": [...], "answer", "kind"}]}}: ids unique,
     * at least one turn, the first turn and only it of kind {@code first}, later ones {@code followup} or
     * {@code unanswerable}; answerable turns name gold sources, unanswerable ones none.
     *
     * @throws IllegalArgumentException naming the file, the conversation, the turn and what is wrong
     */
    public static List<LabelledConversation> readAll(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new IllegalArgumentException(file + " must hold a non-empty JSON array of conversations");
        }
        List<LabelledConversation> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            String id = node.path("id").isTextual() ? node.get("id").asText() : null;
            String where = file + ": conversation " + (id != null ? id : "#" + (i + 1));
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException(where + " needs a string \"id\"");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException(where + " appears twice");
            }
            JsonNode turns = node.path("turns");
            if (!turns.isArray() || turns.isEmpty()) {
                throw new IllegalArgumentException(where + " needs a non-empty \"turns\" array");
            }
            List<Turn> parsed = new ArrayList<>();
            for (int t = 0; t < turns.size(); t++) {
                parsed.add(turn(turns.get(t), where + " turn " + (t + 1), t == 0));
            }
            out.add(new LabelledConversation(id, parsed));
        }
        return out;
    }

    private static Turn turn(JsonNode node, String where, boolean first) {
        String question = node.path("question").isTextual() ? node.get("question").asText() : null;
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException(where + " needs a non-empty \"question\"");
        }
        String label = node.path("kind").asText(null);
        Kind kind = label == null ? null : Kind.of(label);
        if (kind == null) {
            throw new IllegalArgumentException(where + ": \"kind\" must be first, followup or unanswerable, got "
                    + (label == null ? "none" : "'" + label + "'"));
        }
        if (first != (kind == Kind.FIRST)) {
            throw new IllegalArgumentException(where + ": " + (first ? "the first turn must be of kind first, got "
                    + label : "only the first turn is of kind first; later turns are followup or unanswerable"));
        }
        JsonNode gold = node.path("gold");
        if (!gold.isArray()) {
            throw new IllegalArgumentException(where + " needs a \"gold\" array");
        }
        Set<String> sources = new LinkedHashSet<>();
        for (JsonNode g : gold) {
            if (!g.isTextual() || g.asText().isBlank()) {
                throw new IllegalArgumentException(where + " has a gold entry that is not a source name");
            }
            sources.add(g.asText());
        }
        if (kind == Kind.UNANSWERABLE != sources.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + (sources.isEmpty()
                    ? "a " + label + " turn needs gold sources" : "an unanswerable turn has no gold sources"));
        }
        String answer = node.hasNonNull("answer") ? node.get("answer").asText() : null;
        return new Turn(question, sources, answer, kind);
    }
}
