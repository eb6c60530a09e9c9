package dev.sextant.inference.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.model.ModelLoadException;
import dev.sextant.inference.template.ChatTemplate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The model's tokenizer (HF {@code tokenizer.json} through DJL) and its chat template ({@link ChatTemplate}, the
 * Jinja {@code chat_template} of {@code tokenizer_config.json}, rendered as transformers does).
 */
public final class ChatTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final ChatTemplate template;
    private final boolean byteLevelDecoder;
    private final Path tokenizerJson;

    private ChatTokenizer(HuggingFaceTokenizer tokenizer, ChatTemplate template, boolean byteLevelDecoder,
                          Path tokenizerJson) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.byteLevelDecoder = byteLevelDecoder;
        this.tokenizerJson = tokenizerJson;
    }

    /**
     * Loads {@code tokenizer.json} and the chat template of {@code modelDir}.
     *
     * @throws ModelLoadException naming the file: unreadable, no chat_template, or a template that does not compile
     */
    public static ChatTokenizer load(Path modelDir) {
        ChatTemplate template = ChatTemplate.load(modelDir);
        Path tokenizerJson = modelDir.resolve("tokenizer.json");
        try {
            boolean byteLevel = "ByteLevel".equals(new ObjectMapper().readTree(tokenizerJson.toFile())
                    .path("decoder").path("type").asText());
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new ChatTokenizer(tokenizer, template, byteLevel, tokenizerJson);
        } catch (IOException e) {
            throw new ModelLoadException(tokenizerJson + ": cannot load (" + e.getMessage() + ")", e);
        }
    }

    /** The {@code tokenizer.json} this tokenizer was loaded from (its vocabulary, for constrained decoding). */
    public Path tokenizerJson() {
        return tokenizerJson;
    }

    public ChatTemplate chatTemplate() {
        return template;
    }

    /**
     * The chat template's rendering with the generation prompt appended, ready to tokenize.
     *
     * @throws ChatTemplate.ChatTemplateException the template rejected the conversation (raise_exception)
     */
    public String renderChat(List<ChatMessage> messages) {
        return template.render(messages, true);
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

    /**
     * Whether the decoder is byte-level (GPT-2 style: each token stands for bytes, and all of them are decoded as
     * UTF-8 in one piece). Then {@code decode(a ++ b)} equals {@code decode(a) + decode(b)} whenever {@code decode(a)}
     * does not end in U+FFFD, i.e. {@code a}'s bytes end on a whole character, so text can be decoded piece by piece.
     */
    public boolean byteLevelDecoder() {
        return byteLevelDecoder;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
