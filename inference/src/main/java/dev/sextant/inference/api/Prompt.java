package dev.sextant.inference.api;

import java.util.List;
import java.util.Objects;

/** What to continue: a conversation (rendered with the model's chat template) or raw text. */
public sealed interface Prompt {

    record Chat(List<ChatMessage> messages) implements Prompt {
        public Chat {
            messages = List.copyOf(messages);
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("messages must not be empty");
            }
        }
    }

    record Text(String text) implements Prompt {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    static Prompt chat(List<ChatMessage> messages) {
        return new Chat(messages);
    }

    static Prompt text(String text) {
        return new Text(text);
    }
}
