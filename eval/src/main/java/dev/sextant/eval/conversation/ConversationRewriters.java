package dev.sextant.eval.conversation;

import dev.sextant.rag.conversation.ChatModel;
import dev.sextant.rag.conversation.ChatModelCondenser;
import dev.sextant.rag.conversation.PreviousTurnFold;
import dev.sextant.rag.conversation.QueryRewriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The rewriters an evaluation can compare, by name: the three the application offers ({@code last}, {@code fold},
 * {@code model}) and variants of the fold that show what each of its choices is worth.
 */
public final class ConversationRewriters {

    /** Name to what it is, in the order the help lists them. */
    public static final Map<String, String> NAMES = names();

    private ConversationRewriters() {
    }

    private static Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("last", "the last user message alone (before conversations were read)");
        m.put("fold", "follow-ups get the earlier questions back to the standalone one (sextant.retrieval.rewrite=fold)");
        m.put("model", "the chat model condenses follow-ups, falling back to fold (sextant.retrieval.rewrite=model)");
        m.put("fold-previous", "fold, only the previous question");
        m.put("fold-always", "fold every later turn, follow-up or not");
        m.put("fold-answer", "fold, plus the start of the last answer");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * @param model the chat model, asked for only by {@code model}
     * @throws IllegalArgumentException for a name not in {@link #NAMES}
     */
    public static QueryRewriter named(String name, Supplier<ChatModel> model) {
        return switch (name) {
            case "last", "fold" -> QueryRewriter.named(name, model);
            case "model" -> new ChatModelCondenser(model.get(), new PreviousTurnFold());
            case "fold-previous" -> new PreviousTurnFold(new PreviousTurnFold.Options(1, true, false, false));
            case "fold-always" -> new PreviousTurnFold(new PreviousTurnFold.Options(3, true, true, false));
            case "fold-answer" -> new PreviousTurnFold(new PreviousTurnFold.Options(3, true, false, true));
            default -> throw new IllegalArgumentException("unknown rewrite '" + name + "'; expected one of "
                    + String.join(", ", NAMES.keySet()));
        };
    }

    /** The rewriters of a list of names, in that order. */
    public static Map<String, QueryRewriter> named(List<String> names, Supplier<ChatModel> model) {
        Map<String, QueryRewriter> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, named(n, model));
        }
        return out;
    }
}
