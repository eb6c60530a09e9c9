package dev.sextant.router.admission;

import dev.sextant.inference.api.ChatMessage;
import dev.sextant.rag.conversation.ConversationTurn;
import java.util.List;
import java.util.stream.Stream;

/**
 * An upper estimate of a request's prompt tokens before it runs, for worst-case admission: subword tokenizers
 * give well under one token per two characters of text, plus a few tokens of chat template per message, plus the
 * retrieved context's budget. The actual count settles the reservation afterwards.
 */
public final class PromptEstimate {

    private static final int TEMPLATE_TOKENS_PER_MESSAGE = 8;

    private PromptEstimate() {
    }

    public static long chat(List<ChatMessage> messages, int contextTokens) {
        return contextTokens + contents(messages.stream().map(ChatMessage::content));
    }

    /** A prompt of conversation turns (the condensing call's). */
    public static long turns(List<ConversationTurn> turns) {
        return contents(turns.stream().map(ConversationTurn::content));
    }

    private static long contents(Stream<String> contents) {
        return contents.mapToLong(content -> text(content) + TEMPLATE_TOKENS_PER_MESSAGE).sum();
    }

    public static long text(String text) {
        return text == null ? 0 : (text.length() + 1) / 2;
    }
}
