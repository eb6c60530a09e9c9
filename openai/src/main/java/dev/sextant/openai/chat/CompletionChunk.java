package dev.sextant.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reader needs of one chunk of a streamed {@code /v1/chat/completions} or {@code /v1/completions} answer:
 * the text each choice added, its {@code finish_reason}, and the usage. Fields a server adds beside these
 * (sextant's {@code citations}, {@code cached}, {@code retrieval}) are read from {@link #json()}.
 *
 * @param model   the chunk's {@code model}; null when it names none
 * @param choices in the order sent
 * @param usage   null unless this chunk carries it
 * @param json    the whole chunk
 */
public record CompletionChunk(String model, List<Choice> choices, Usage usage, JsonNode json) {

    /**
     * @param index        the choice's {@code index}
     * @param text         what this chunk added to the choice: {@code delta.content} of a chat chunk, {@code text}
     *                     of a text completion chunk; "" for a role-only or final chunk ({@code content: null})
     * @param finishReason null until the choice's last chunk
     */
    public record Choice(int index, String text, String finishReason) {
    }

    public CompletionChunk {
        choices = List.copyOf(choices);
    }

    /** Reads a chunk leniently: OpenAI-compatible servers differ in which fields they leave out. */
    public static CompletionChunk of(JsonNode chunk) {
        List<Choice> choices = new ArrayList<>();
        for (JsonNode choice : chunk.path("choices")) {
            choices.add(new Choice(choice.path("index").asInt(choices.size()), text(choice),
                    textOrNull(choice.get("finish_reason"))));
        }
        return new CompletionChunk(textOrNull(chunk.get("model")), choices, Usage.from(chunk), chunk);
    }

    /** The text all choices added (with one choice, as streams to one client have: that choice's delta). */
    public String text() {
        if (choices.size() == 1) {
            return choices.get(0).text();
        }
        StringBuilder sb = new StringBuilder();
        choices.forEach(c -> sb.append(c.text()));
        return sb.toString();
    }

    /** Whether any choice added text: the role-only first chunk and the finish chunk do not. */
    public boolean hasText() {
        for (Choice c : choices) {
            if (!c.text().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The first choice's finish reason in this chunk; null when none finished here. */
    public String finishReason() {
        for (Choice c : choices) {
            if (c.finishReason() != null) {
                return c.finishReason();
            }
        }
        return null;
    }

    private static String text(JsonNode choice) {
        // textual checks: "content": null in a role-only chunk would read as "null" through asText()
        JsonNode content = choice.path("delta").path("content");
        if (content.isTextual()) {
            return content.textValue();
        }
        JsonNode text = choice.get("text");
        return text != null && text.isTextual() ? text.textValue() : "";
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
    }
}
