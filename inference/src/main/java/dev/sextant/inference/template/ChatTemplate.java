package dev.sextant.inference.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.model.ModelLoadException;
import dev.sextant.inference.template.jinja.JinjaTemplate;
import dev.sextant.inference.template.jinja.TemplateRaisedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face chat template ({@code chat_template} of {@code tokenizer_config.json}, Jinja) compiled once and
 * rendered the way transformers' {@code apply_chat_template} does: Jinja2 with {@code trim_blocks} and
 * {@code lstrip_blocks}, variables {@code messages} (maps with {@code role} and {@code content}),
 * {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} and optionally {@code tools}, the functions
 * {@code raise_exception(msg)} and {@code strftime_now(fmt)} and a {@code tojson} filter that writes what Python's
 * {@code json.dumps(ensure_ascii=False)} writes.
 *
 * <p>The engine is HubSpot Jinjava brought to Jinja2's behaviour by {@link JinjaTemplate}, which lists what it
 * adapts, what it refuses at compile and the differences that remain.
 *
 * <p>Immutable and thread-safe: each render gets its own interpreter over the shared parsed tree.
 */
public final class ChatTemplate {

    /**
     * The template refused the conversation through {@code raise_exception(message)} (e.g. roles that do not
     * alternate): the request is invalid. The message is the template's.
     */
    public static final class ChatTemplateException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        public ChatTemplateException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final JinjaTemplate template;

    private ChatTemplate(String source, String bosToken, String eosToken, Clock clock) {
        this.source = source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.template = JinjaTemplate.compile(source, clock);
    }

    /** Compiles {@code template}; strftime_now() reads the system clock. */
    public static ChatTemplate compile(String template, String bosToken, String eosToken) {
        return compile(template, bosToken, eosToken, Clock.systemDefaultZone());
    }

    /**
     * Compiles {@code template}: its syntax is checked here, and an {@link IllegalArgumentException} names the line
     * and the error. {@code bosToken} and {@code eosToken} may be null (then undefined in the template);
     * {@code strftime_now()} formats {@code clock}'s time in its zone.
     */
    public static ChatTemplate compile(String template, String bosToken, String eosToken, Clock clock) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(clock, "clock");
        return new ChatTemplate(template, bosToken, eosToken, clock);
    }

    /** The template of a model directory: {@code tokenizer_config.json}, else {@code chat_template.jinja}. */
    public static ChatTemplate load(Path modelDir) {
        return load(modelDir, Clock.systemDefaultZone());
    }

    /**
     * The template of a model directory, from {@code tokenizer_config.json}'s {@code chat_template} (a string, or
     * a list of named templates of which {@code default} is taken) or else from {@code chat_template.jinja} beside
     * it, as transformers reads them. Its bos/eos tokens may be strings or {@code {"content": ...}} objects.
     *
     * @throws ModelLoadException naming the file when it cannot be read, has no chat template, or the template
     *         does not compile
     */
    public static ChatTemplate load(Path modelDir, Clock clock) {
        Path configFile = modelDir.resolve("tokenizer_config.json");
        JsonNode config;
        try {
            config = JSON.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(configFile + ": cannot read (" + e.getMessage() + ")", e);
        }
        Path templateFile = configFile;
        String template = null;
        JsonNode node = config.path("chat_template");
        if (node.isTextual()) {
            template = node.asText();
        } else if (node.isArray()) {
            for (JsonNode named : node) {
                if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                    template = named.get("template").asText();
                }
            }
        } else if (Files.isRegularFile(modelDir.resolve("chat_template.jinja"))) {
            templateFile = modelDir.resolve("chat_template.jinja");
            try {
                template = Files.readString(templateFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ModelLoadException(templateFile + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
        if (template == null || template.isBlank()) {
            throw new ModelLoadException(configFile + ": no chat_template (and no chat_template.jinja beside it);"
                    + " the model cannot serve chat requests");
        }
        try {
            return compile(template, token(config.get("bos_token")), token(config.get("eos_token")), clock);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(templateFile + ": chat_template does not compile: " + e.getMessage(), e);
        }
    }

    private static String token(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            JsonNode content = node.get("content");
            return content == null || content.isNull() ? null : content.asText();
        }
        return node.asText();
    }

    public String source() {
        return source;
    }

    public String bosToken() {
        return bosToken;
    }

    public String eosToken() {
        return eosToken;
    }

    /** The prompt for {@code messages}, without tools. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, null);
    }

    /**
     * The prompt for {@code messages}. {@code tools} are JSON-like values (maps, lists, strings, numbers, booleans,
     * null), e.g. OpenAI function specs; null leaves {@code tools} undefined.
     *
     * @throws ChatTemplateException the template called {@code raise_exception}
     * @throws IllegalStateException the template failed in another way (a template feature not supported here)
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, List<?> tools) {
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", m.role());
            turn.put("content", m.content());
            turns.add(turn);
        }
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("messages", turns);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        if (bosToken != null) {
            bindings.put("bos_token", bosToken);
        }
        if (eosToken != null) {
            bindings.put("eos_token", eosToken);
        }
        if (tools != null) {
            bindings.put("tools", copy(tools));
        }
        try {
            return template.render(bindings);
        } catch (TemplateRaisedException raise) {
            throw new ChatTemplateException(raise.getMessage());
        }
    }

    /** A private copy of JSON-like data, so that a template cannot change the caller's objects. */
    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, copy(v)));
            return out;
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(copy(v)));
            return out;
        }
        return value;
    }
}
