package dev.sextant.inference.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model's tokenizer (HF {@code tokenizer.json} through DJL) and its chat template. Only ChatML templates
 * ({@code <|im_start|>role ... <|im_end|>}, SmolLM2 and Qwen) are rendered so far; others are refused at load.
 */
public final class ChatTokenizer implements AutoCloseable {

    private static final Pattern DEFAULT_SYSTEM = Pattern.compile(
            "'<\\|im_start\\|>system\\n(.*?)<\\|im_end\\|>", Pattern.DOTALL);

    private final HuggingFaceTokenizer tokenizer;
    private final String defaultSystemPrompt;

    private ChatTokenizer(HuggingFaceTokenizer tokenizer, String defaultSystemPrompt) {
        this.tokenizer = tokenizer;
        this.defaultSystemPrompt = defaultSystemPrompt;
    }

    public static ChatTokenizer load(Path modelDir) {
        Path tokenizerJson = modelDir.resolve("tokenizer.json");
        Path tokenizerConfig = modelDir.resolve("tokenizer_config.json");
        String template;
        try {
            JsonNode config = new ObjectMapper().readTree(tokenizerConfig.toFile());
            template = config.path("chat_template").asText("");
        } catch (IOException e) {
            throw new ModelLoadException(tokenizerConfig + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (!template.contains("<|im_start|>")) {
            throw new ModelLoadException(tokenizerConfig + ": only ChatML chat templates are supported so far");
        }
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new ChatTokenizer(tokenizer, defaultSystemPrompt(template));
        } catch (IOException e) {
            throw new ModelLoadException(tokenizerJson + ": cannot load (" + e.getMessage() + ")", e);
        }
    }

    /** The system prompt a template inserts when the conversation has none (SmolLM2 does), or null. */
    static String defaultSystemPrompt(String template) {
        Matcher m = DEFAULT_SYSTEM.matcher(template);
        return m.find() ? m.group(1) : null;
    }

    /** ChatML with the generation prompt appended, ready to tokenize. */
    public String renderChat(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        if (defaultSystemPrompt != null && !messages.get(0).role().equals("system")) {
            sb.append("<|im_start|>system\n").append(defaultSystemPrompt).append("<|im_end|>\n");
        }
        for (ChatMessage m : messages) {
            sb.append("<|im_start|>").append(m.role()).append('\n').append(m.content()).append("<|im_end|>\n");
        }
        return sb.append("<|im_start|>assistant\n").toString();
    }

    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** Text of generated ids; special tokens (end of turn) are not shown. */
    public String decode(long[] ids) {
        return decode(ids, true);
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
