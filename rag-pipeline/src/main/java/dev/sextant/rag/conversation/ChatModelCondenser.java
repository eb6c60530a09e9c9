package dev.sextant.rag.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Asks a chat model to rewrite a follow-up as a standalone question (the "condense question" step of
 * conversational RAG). A first question goes to no model; a failed call, or output that is no usable question
 * (empty, an answer rather than a question, a copy of an earlier turn, nothing of the message kept), falls back to
 * {@code fallback} and says why in {@link RewriteResult#fallback()}.
 *
 * <p>The prompt is short and shows one worked example on a neutral subject, because small models copy a format
 * far better than they follow an instruction; the call is greedy and capped at {@link #MAX_TOKENS} tokens.
 */
public final class ChatModelCondenser implements QueryRewriter {

    /** New tokens at most: a question, not an essay. */
    public static final int MAX_TOKENS = 48;
    /** Earlier turns shown to the model at most (the latest ones). */
    static final int HISTORY_TURNS = 4;
    /** Characters of an earlier answer shown at most. */
    static final int ANSWER_CHARS = 240;
    static final int MAX_QUERY_CHARS = 400;
    /** The question is one line: what follows a line break is the model going on. */
    static final List<String> STOP = List.of("\n");

    static final String INSTRUCTION = "Rewrite the user's follow-up question as one standalone question that names "
            + "what it refers to, using the conversation. Do not answer it. Reply with the question only.";
    private static final List<ConversationTurn> EXAMPLE = List.of(
            ConversationTurn.user(prompt(List.of(ConversationTurn.user("How do I install the printer driver?"),
                    ConversationTurn.assistant("Run the installer from the vendor's download page.")),
                    "And how do I remove it again?")),
            ConversationTurn.assistant("How do I remove the printer driver again?"));
    private static final Pattern LABEL = Pattern.compile(
            "^(?:standalone question|rewritten question|question|rewrite|answer)\\s*:\\s*", Pattern.CASE_INSENSITIVE);
    private static final Set<String> ROLE_MARKERS = Set.of("user:", "assistant:", "follow-up question:");

    private final ChatModel model;
    private final QueryRewriter fallback;

    public ChatModelCondenser(ChatModel model, QueryRewriter fallback) {
        this.model = Objects.requireNonNull(model, "model");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    @Override
    public RewriteResult rewrite(RewriteRequest request) {
        Optional<ChatModel.Request> call = modelCall(request);
        if (call.isEmpty()) {
            return new RewriteResult(request.message().strip(), RewriteResult.Method.AS_ASKED);
        }
        ChatModel.Reply reply;
        try {
            reply = model.complete(call.get());
        } catch (RuntimeException e) {
            return fallback.rewrite(request).fellBack("model call failed: " + e.getMessage());
        }
        String question = firstLine(reply.text());
        String problem = problem(question, request);
        if (problem != null) {
            return fallback.rewrite(request).fellBack(problem).costing(reply);
        }
        return new RewriteResult(question, RewriteResult.Method.CONDENSED).costing(reply);
    }

    /** A first question is searched as asked; a follow-up gets one greedy call of at most {@link #MAX_TOKENS}. */
    @Override
    public Optional<ChatModel.Request> modelCall(RewriteRequest request) {
        return request.hasEarlierQuestion()
                ? Optional.of(new ChatModel.Request(messages(request), MAX_TOKENS, STOP)) : Optional.empty();
    }

    /** The prompt: instruction, the worked example, then this conversation's latest turns and the message. */
    static List<ConversationTurn> messages(RewriteRequest request) {
        List<ConversationTurn> history = request.history().stream()
                .filter(t -> !t.role().equals(ConversationTurn.SYSTEM) && !t.content().isBlank()).toList();
        history = history.subList(Math.max(0, history.size() - HISTORY_TURNS), history.size());
        List<ConversationTurn> out = new ArrayList<>();
        out.add(new ConversationTurn(ConversationTurn.SYSTEM, INSTRUCTION));
        out.addAll(EXAMPLE);
        out.add(ConversationTurn.user(prompt(history, request.message().strip())));
        return out;
    }

    private static String prompt(List<ConversationTurn> history, String message) {
        StringBuilder sb = new StringBuilder("Conversation:\n");
        for (ConversationTurn turn : history) {
            String text = PromptText.oneLine(turn.content());
            if (!turn.isUser()) {
                text = PromptText.clip(text, ANSWER_CHARS, " ...");
            }
            sb.append(turn.isUser() ? "User: " : "Assistant: ").append(text).append('\n');
        }
        return sb.append("\nFollow-up question: ").append(PromptText.oneLine(message)).append("\nStandalone question:")
                .toString();
    }

    /** The first non-blank line of the output, without a label or quotes the model may have put around it. */
    static String firstLine(String output) {
        for (String line : output.split("\\R")) {
            String s = LABEL.matcher(line.strip()).replaceFirst("").strip();
            if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
                s = s.substring(1, s.length() - 1).strip();
            }
            if (!s.isEmpty()) {
                return s;
            }
        }
        return "";
    }

    /** Why {@code question} is no usable rewrite of the request's message, or null when it is. */
    static String problem(String question, RewriteRequest request) {
        if (question.isEmpty()) {
            return "model output empty";
        }
        if (question.length() > MAX_QUERY_CHARS) {
            return "model output longer than " + MAX_QUERY_CHARS + " characters";
        }
        String lower = question.toLowerCase(Locale.ROOT);
        if (ROLE_MARKERS.stream().anyMatch(lower::contains)) {
            return "model output continues the conversation";
        }
        for (ConversationTurn turn : request.history()) {
            if (bare(turn.content()).equals(bare(question))) {
                return "model output repeats an earlier turn";
            }
        }
        if (request.message().strip().endsWith("?") && !question.endsWith("?")) {
            return "model output is not a question";
        }
        Set<String> own = stems(request.message());
        Set<String> kept = stems(question).stream().filter(own::contains).collect(Collectors.toSet());
        if (!own.isEmpty() && kept.isEmpty()) {
            return "model output keeps none of the message's words";
        }
        return null;
    }

    /** One line, lower case, without the punctuation it ends with: what two turns are compared by. */
    private static String bare(String text) {
        return PromptText.oneLine(text).toLowerCase(Locale.ROOT).replaceAll("[?.!\\s]+$", "");
    }

    /** Content words cut to their first 5 letters: "cancelling" and "cancel" share "cance". */
    private static Set<String> stems(String text) {
        return FollowUpSignals.of(text).contentWords().stream().map(w -> w.length() > 5 ? w.substring(0, 5) : w)
                .collect(Collectors.toSet());
    }
}
