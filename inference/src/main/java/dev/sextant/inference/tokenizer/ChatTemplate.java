package dev.sextant.inference.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.NamedParameterOperator;
import com.hubspot.jinjava.interpret.AutoCloseableSupplier;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.model.ModelLoadException;
import java.beans.FeatureDescriptor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstBracket;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * A Hugging Face chat template ({@code chat_template} of {@code tokenizer_config.json}, Jinja) compiled once and
 * rendered the way transformers' {@code apply_chat_template} does: Jinja2 with {@code trim_blocks} and
 * {@code lstrip_blocks}, variables {@code messages} (maps with {@code role} and {@code content}),
 * {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} and optionally {@code tools}, the functions
 * {@code raise_exception(msg)} and {@code strftime_now(fmt)} and a {@code tojson} filter that writes what Python's
 * {@code json.dumps(ensure_ascii=False)} writes.
 *
 * <p>The engine is HubSpot Jinjava, brought to Jinja2's behaviour here where chat templates need it:
 * <ul>
 * <li>whitespace control, trim_blocks and lstrip_blocks applied by {@link Jinja2Source} as Jinja2's lexer does
 * (Jinjava's own strips spaces before any tag, not only at the start of a line, and mishandles {@code {#- -#}}),
 * "}}" closing nested braces inside an expression, Python string escapes ({@code \u00e9}, {@code \x41});</li>
 * <li>Jinja2 precedence: filters and tests bind to the operand, in any order ({@code x|length is divisibleby 3}),
 * {@code not} takes the whole comparison ({@code not x is defined}), a keyword argument's value is a whole
 * expression ({@code namespace(i=messages|length - 1)}); Python slices with a step ({@code messages[::-1]}),
 * string indexing ({@code s[-1]}), {@code 'ab' * 2};</li>
 * <li>Python {@code str} methods ({@code startswith}, {@code strip('\n')}, {@code split}, ...), Python's
 * {@code str.strip} for {@code | trim}, an {@code items} filter, transformers' {@code {% generation %}}, output as
 * Python's {@code str()} ({@code True}, {@code [1, 'a', None]});</li>
 * <li>no nested interpretation of rendered values (a message containing {@code {{ }}} stays text), no
 * {@code include}/{@code import}/{@code extends}.</li>
 * </ul>
 * Jinja2 features Jinjava would get wrong silently are refused at compile: loop filters
 * ({@code for x in y if c}), {@code for ... else}, recursive loops, {@code loop.previtem/nextitem/changed}. Known
 * remaining differences: Jinjava has one null for Jinja2's None and Undefined, so {@code tools is defined} is false
 * without tools (transformers passes {@code tools=None}) and {@code {{ none }}} prints nothing; no {@code %}
 * string formatting or {@code str.format}.
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
    /** Parses (without evaluating) expressions for the load-time syntax check. */
    private static final PyBuilder PARSER = new PyBuilder();
    private static final Locale PYTHON_LOCALE = Locale.US;

    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final JinjavaConfig config;
    private final Jinjava jinjava;
    private final Node root;

    private ChatTemplate(String source, String bosToken, String eosToken, Clock clock) {
        this.source = source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        // Whitespace control (trim_blocks, lstrip_blocks, {%- -%}) is applied by Jinja2Source as Jinja2's lexer
        // does: Jinjava's own strips spaces before any tag, not only at the start of a line, and mishandles {#- -#}.
        this.config = JinjavaConfig.newBuilder()
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withNestedInterpretationEnabled(false)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withKeepNullableLoopValues(true)
                        .withUsePyishObjectMapper(true)
                        .build())
                .withElResolver(PyResolver.RESOLVER)
                .withDateTimeProvider(clock::millis)
                .withTimeZone(clock.getZone())
                .withLocale(PYTHON_LOCALE)
                .build();
        this.jinjava = new PyishJinjava(config);
        jinjava.setResourceLocator(NO_RESOURCES);
        for (String tag : List.of("include", "import", "from", "extends")) {
            jinjava.getGlobalContext().registerTag(new NoTag(tag));
        }
        jinjava.getGlobalContext().registerTag(new GenerationTag());
        jinjava.getGlobalContext().registerFilter(new ToJsonFilter());
        jinjava.getGlobalContext().registerFilter(new TrimFilter());
        jinjava.getGlobalContext().registerFilter(new ItemsFilter());
        jinjava.getGlobalContext().registerFunction(function("raise_exception", "raiseException"));
        jinjava.getGlobalContext().registerFunction(function("strftime_now", "strftimeNow"));

        String jinjavaSource = Jinja2Source.toJinjava(source);
        List<String> errors = new ArrayList<>();
        Outcome<Node> parsed = withInterpreter(Map.of(), interpreter -> {
            // Expression nodes keep the strategy of the context that parsed them.
            interpreter.getContext().setExpressionStrategy(new PyOutput());
            Node tree = interpreter.parse(jinjavaSource);
            // The parser reads Jinja2 precedence from the current interpreter's config: parse with it current.
            checkExpressions(tree, errors);
            return tree;
        });
        for (TemplateError error : parsed.errors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL
                    || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
                errors.add(0, describe(error));
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        this.root = parsed.value();
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
        // So that `strftime_now is defined` holds, as it does for transformers' globals.
        bindings.put("strftime_now", new PyFunction("strftime_now"));
        bindings.put("raise_exception", new PyFunction("raise_exception"));

        Outcome<String> rendered;
        try {
            rendered = withInterpreter(bindings, interpreter -> interpreter.render(root));
        } catch (RuntimeException e) {
            TemplateRaise raise = raiseIn(e);
            if (raise != null) {
                throw new ChatTemplateException(raise.getMessage());
            }
            throw new IllegalStateException("chat template failed: " + e.getMessage(), e);
        }
        List<String> errors = new ArrayList<>();
        for (TemplateError error : rendered.errors()) {
            if (error.getSeverity() != TemplateError.ErrorType.FATAL) {
                continue;
            }
            TemplateRaise raise = raiseIn(error.getException());
            if (raise != null) {
                // Jinja2 stops at the first raise_exception; Jinjava records it and renders on.
                throw new ChatTemplateException(raise.getMessage());
            }
            errors.add(describe(error));
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("chat template failed: " + String.join("; ", errors));
        }
        return rendered.value();
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

    private record Outcome<T>(T value, List<TemplateError> errors) {
    }

    /** Runs {@code work} with a fresh interpreter over {@code bindings}, as Jinjava's current one. */
    private <T> Outcome<T> withInterpreter(Map<String, Object> bindings, Function<JinjavaInterpreter, T> work) {
        Context context = new Context(jinjava.getGlobalContextCopy(), bindings, config.getDisabled());
        JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava, context, config);
        try (AutoCloseableSupplier.AutoCloseableImpl<JinjavaInterpreter> current =
                JinjavaInterpreter.closeablePushCurrent(interpreter).get()) {
            T value = work.apply(current.value());
            return new Outcome<>(value, interpreter.getErrorsCopy());
        }
    }

    private static String describe(TemplateError error) {
        String message = error.getMessage();
        return (error.getLineno() > 0 ? "line " + error.getLineno() + ": " : "") + message;
    }

    private static TemplateRaise raiseIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TemplateRaise raise) {
                return raise;
            }
        }
        return null;
    }

    /** Parses every expression up front, so that a syntax error anywhere fails at load, as Jinja2's compile does. */
    private static void checkExpressions(Node node, List<String> errors) {
        for (Node child : node.getChildren()) {
            String expression = null;
            if (child instanceof ExpressionNode) {
                expression = child.getMaster().getImage();
                expression = stripDelimiters(expression, "{{", "}}");
            } else if (child instanceof TagNode tag) {
                String helpers = tag.getHelpers().strip();
                switch (tag.getName()) {
                    case "if", "elif", "elseif", "print", "do" -> expression = helpers;
                    case "for" -> {
                        int in = helpers.indexOf(" in ");
                        expression = in < 0 ? null : helpers.substring(in + 4);
                        String unsupported = unsupportedLoop(tag, expression);
                        if (unsupported != null) {
                            errors.add("line " + child.getLineNumber() + ": " + unsupported
                                    + " is not supported by this Jinja engine");
                        }
                    }
                    case "set" -> {
                        int eq = assignment(helpers);
                        expression = eq < 0 ? null : helpers.substring(eq + 1);
                    }
                    default -> {
                    }
                }
            }
            if (expression != null && LOOP_ATTRIBUTES_MISSING.matcher(expression).find()) {
                errors.add("line " + child.getLineNumber() + ": loop.previtem, loop.nextitem and loop.changed are not"
                        + " supported by this Jinja engine");
            }
            if (expression != null && !expression.isBlank()) {
                try {
                    PARSER.build("#{" + expression.strip() + "}");
                } catch (ELException e) {
                    errors.add("line " + child.getLineNumber() + ": cannot parse '" + expression.strip() + "': "
                            + e.getMessage());
                }
            }
            checkExpressions(child, errors);
        }
    }

    private static final Pattern LOOP_ATTRIBUTES_MISSING = Pattern.compile("\\bloop\\.(previtem|nextitem|changed)\\b");

    /**
     * Jinja2 loop features Jinjava would silently get wrong (it has no loop filter, no recursive loops and no
     * for-else): a description for the compile error, or null.
     */
    private static String unsupportedLoop(TagNode tag, String iterable) {
        if (iterable != null) {
            int depth = 0;
            char quote = 0;
            for (int i = 0; i < iterable.length(); i++) {
                char c = iterable.charAt(i);
                if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if ("([{".indexOf(c) >= 0) {
                    depth++;
                } else if (")]}".indexOf(c) >= 0) {
                    depth--;
                } else if (depth == 0 && Character.isWhitespace(c)) {
                    String rest = iterable.substring(i + 1);
                    if (rest.startsWith("if ") || rest.startsWith("if(")) {
                        return "a loop filter ({% for x in items if condition %})";
                    }
                    if (rest.strip().equals("recursive")) {
                        return "a recursive loop";
                    }
                }
            }
        }
        for (Node child : tag.getChildren()) {
            if (child instanceof TagNode inner && inner.getName().equals("else")) {
                return "{% for %}...{% else %}";
            }
        }
        return null;
    }

    private static String stripDelimiters(String image, String open, String close) {
        String s = image;
        if (s.startsWith(open)) {
            s = s.substring(open.length());
        }
        if (s.endsWith(close)) {
            s = s.substring(0, s.length() - close.length());
        }
        return s;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Jinja2's lexer, for whitespace control

    /**
     * Rewrites a Jinja2 template into one Jinjava renders the same without any whitespace control of its own, by
     * applying Jinja2's lexer rules (lexer.py, trim_blocks and lstrip_blocks on): "{%-", "{{-" and "{#-" strip the
     * whitespace before the tag, "-%}", "-}}" and "-#}" the whitespace after it; with trim_blocks one newline
     * after "%}" or "#}" goes; with lstrip_blocks spaces and tabs from the start of a line to "{%" or "{#" go (not
     * before "{%+"); comments go; the source's line breaks are read as
     * {@code \n} and one trailing newline is dropped (keep_trailing_newline off). The markers themselves are removed.
     * Line breaks that were stripped are moved inside the neighbouring tag, where they are insignificant, so that
     * Jinjava's line numbers in errors stay those of the original. A "}}" that closes nested braces inside an
     * expression gets a space, since Jinjava's scanner, unlike Jinja2's, would end the expression there.
     */
    static final class Jinja2Source {

        private final String src;
        private final StringBuilder out = new StringBuilder();
        private int pos;
        private boolean lineStarting = true;

        private Jinja2Source(String template) {
            String s = template.replace("\r\n", "\n").replace('\r', '\n');
            this.src = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        }

        static String toJinjava(String template) {
            Jinja2Source lexer = new Jinja2Source(template);
            lexer.run();
            return lexer.out.toString();
        }

        private void run() {
            while (pos < src.length()) {
                int start = nextTagStart(pos);
                if (start < 0) {
                    out.append(src, pos, src.length());
                    return;
                }
                char kind = src.charAt(start + 1);
                int afterOpen = start + 2;
                char sign = afterOpen < src.length() && (src.charAt(afterOpen) == '-' || src.charAt(afterOpen) == '+')
                        ? src.charAt(afterOpen) : 0;
                if (sign != 0) {
                    afterOpen++;
                }
                String text = src.substring(pos, start);
                int movedNewlines = 0;
                if (sign == '-') {
                    String stripped = PyStrings.strip(text, null, false, true);
                    movedNewlines = newlines(text.substring(stripped.length()));
                    text = stripped;
                } else if (sign != '+' && kind != '{') {
                    int lineStart = text.lastIndexOf('\n') + 1;
                    if ((lineStart > 0 || lineStarting) && lineStart < text.length()
                            && allSpace(text.substring(lineStart))) {
                        text = text.substring(0, lineStart);
                    }
                }
                out.append(text);
                int rawEnd = kind == '%' ? rawBlockStart(afterOpen) : -1;
                if (rawEnd >= 0) {
                    raw(start, rawEnd, movedNewlines);
                } else if (kind == '#') {
                    comment(afterOpen, movedNewlines);
                } else {
                    tag(kind, afterOpen, movedNewlines);
                }
            }
        }

        private int nextTagStart(int from) {
            for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
                char c = src.charAt(i + 1);
                if (c == '{' || c == '%' || c == '#') {
                    return i;
                }
            }
            return -1;
        }

        /** {@code {% raw %}}: the index after its end, or -1 if this block is not raw. */
        private int rawBlockStart(int from) {
            int i = skipSpace(from);
            if (!src.startsWith("raw", i)) {
                return -1;
            }
            i = skipSpace(i + 3);
            if (src.startsWith("-%}", i)) {
                return skipSpace(i + 3);
            }
            return src.startsWith("%}", i) ? i + 2 : -1;
        }

        private void raw(int start, int contentStart, int movedNewlines) {
            int end = src.length();
            int closeStart = -1;
            int closeEnd = -1;
            char sign = 0;
            for (int i = src.indexOf("{%", contentStart); i >= 0; i = src.indexOf("{%", i + 2)) {
                int j = i + 2;
                char s = j < end && (src.charAt(j) == '-' || src.charAt(j) == '+') ? src.charAt(j) : 0;
                j = skipSpace(s != 0 ? j + 1 : j);
                if (src.startsWith("endraw", j)) {
                    j = skipSpace(j + 6);
                    int after = blockEnd(j, '%');
                    if (after >= 0) {
                        closeStart = i;
                        closeEnd = after;
                        sign = s;
                        break;
                    }
                }
            }
            if (closeStart < 0) {
                throw new IllegalArgumentException("line " + line(start) + ": missing end of raw directive");
            }
            String content = src.substring(contentStart, closeStart);
            if (sign == '-') {
                content = PyStrings.strip(content, null, false, true);
            } else if (sign != '+') {
                int lineStart = content.lastIndexOf('\n') + 1;
                if (lineStart < content.length() && allSpace(content.substring(lineStart))) {
                    content = content.substring(0, lineStart);
                }
            }
            out.append("{%").append("\n".repeat(movedNewlines)).append(" raw %}").append(content)
                    .append("{% endraw").append("\n".repeat(newlines(src.substring(closeStart, closeEnd))))
                    .append(" %}");
            lineStarting = src.charAt(closeEnd - 1) == '\n';
            pos = closeEnd;
        }

        private void comment(int from, int movedNewlines) {
            for (int i = from; i + 1 < src.length(); i++) {
                int end = -1;
                if ((src.charAt(i) == '+' || src.charAt(i) == '-') && src.startsWith("#}", i + 1)) {
                    end = src.charAt(i) == '-' ? skipSpace(i + 3) : i + 3;
                } else if (src.startsWith("#}", i)) {
                    end = i + 2 < src.length() && src.charAt(i + 2) == '\n' ? i + 3 : i + 2;
                }
                if (end >= 0) {
                    int lines = movedNewlines + newlines(src.substring(from, end));
                    if (lines > 0) {
                        out.append("{#").append("\n".repeat(lines)).append("#}");
                    }
                    lineStarting = src.charAt(end - 1) == '\n';
                    pos = end;
                    return;
                }
            }
            throw new IllegalArgumentException("line " + line(from) + ": missing end of comment tag");
        }

        /** A {@code {{ }}} or {@code {% %}}: copied token by token until its end outside brackets and strings. */
        private void tag(char kind, int from, int movedNewlines) {
            out.append(kind == '{' ? "{{" : "{%").append("\n".repeat(movedNewlines)).append(' ');
            List<Character> brackets = new ArrayList<>();
            char previous = ' ';
            int i = from;
            while (i < src.length()) {
                char c = src.charAt(i);
                if (brackets.isEmpty()) {
                    int end = blockEnd(i, kind);
                    if (end >= 0) {
                        out.append("\n".repeat(newlines(src.substring(i, end)))).append(' ')
                                .append(kind == '{' ? "}}" : "%}");
                        lineStarting = src.charAt(end - 1) == '\n';
                        pos = end;
                        return;
                    }
                }
                if (c == '\'' || c == '"') {
                    int close = i + 1;
                    while (close < src.length() && src.charAt(close) != c) {
                        close += src.charAt(close) == '\\' ? 2 : 1;
                    }
                    if (close >= src.length()) {
                        throw new IllegalArgumentException("line " + line(i) + ": unterminated string");
                    }
                    out.append(c).append(jinjavaLiteral(pythonLiteral(src.substring(i + 1, close)), c)).append(c);
                    previous = c;
                    i = close + 1;
                    continue;
                }
                switch (c) {
                    case '{' -> brackets.add('}');
                    case '(' -> brackets.add(')');
                    case '[' -> brackets.add(']');
                    case '}', ')', ']' -> {
                        if (brackets.isEmpty() || brackets.removeLast() != c) {
                            throw new IllegalArgumentException("line " + line(i) + ": unexpected '" + c + "'");
                        }
                        if (c == '}' && (previous == '}' || previous == '%')) {
                            out.append(' ');
                        }
                    }
                    default -> {
                    }
                }
                out.append(c);
                previous = c;
                i++;
            }
            throw new IllegalArgumentException("line " + line(from) + ": unexpected end of template, expected '"
                    + (kind == '{' ? "}}" : "%}") + "'");
        }

        /** The value of a Python string literal's body: \\n, \\t, \\xhh, \\uhhhh, \\Uhhhhhhhh, octal, ... decoded. */
        static String pythonLiteral(String body) {
            StringBuilder value = new StringBuilder(body.length());
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c != '\\' || i + 1 == body.length()) {
                    value.append(c);
                    continue;
                }
                char e = body.charAt(++i);
                switch (e) {
                    case '\n' -> {
                    }
                    case '\\', '\'', '"' -> value.append(e);
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case 'a' -> value.append('\u0007');
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'v' -> value.append('\u000b');
                    case 'x', 'u', 'U' -> {
                        int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                        if (i + digits < body.length() && body.substring(i + 1, i + 1 + digits)
                                .chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                            value.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 1 + digits), 16));
                            i += digits;
                        } else {
                            throw new IllegalArgumentException("truncated \\" + e + " escape in '" + body + "'");
                        }
                    }
                    default -> {
                        if (e >= '0' && e <= '7') {
                            int end = i;
                            while (end < body.length() && end < i + 3 && body.charAt(end) >= '0' && body.charAt(end) <= '7') {
                                end++;
                            }
                            value.append((char) Integer.parseInt(body.substring(i, end), 8));
                            i = end - 1;
                        } else {
                            value.append('\\').append(e);
                        }
                    }
                }
            }
            return value.toString();
        }

        /** {@code value} as the body of a Jinjava string literal quoted with {@code quote}. */
        static String jinjavaLiteral(String value, char quote) {
            StringBuilder body = new StringBuilder(value.length());
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' || c == quote) {
                    body.append('\\').append(c);
                } else if (c == '\n') {
                    body.append("\\n");
                } else if (c == '\t') {
                    body.append("\\t");
                } else {
                    body.append(c);
                }
            }
            return body.toString();
        }

        /**
         * If a tag of {@code kind} ends at {@code i} ("-}}" or "}}"; "+%}", "-%}" or "%}"), the index after the end
         * and the whitespace it consumes; else -1.
         */
        private int blockEnd(int i, char kind) {
            String close = kind == '{' ? "}}" : "%}";
            char c = src.charAt(i);
            if (c == '-' && src.startsWith(close, i + 1)) {
                return skipSpace(i + 3);
            }
            if (c == '+' && kind == '%' && src.startsWith(close, i + 1)) {
                return i + 3;
            }
            if (src.startsWith(close, i)) {
                return kind == '%' && i + 2 < src.length() && src.charAt(i + 2) == '\n' ? i + 3 : i + 2;
            }
            return -1;
        }

        private int skipSpace(int i) {
            while (i < src.length() && PyStrings.isSpace(src.charAt(i))) {
                i++;
            }
            return i;
        }

        private static boolean allSpace(String s) {
            return s.codePoints().allMatch(PyStrings::isSpace);
        }

        private static int newlines(String s) {
            return (int) s.chars().filter(ch -> ch == '\n').count();
        }

        private int line(int index) {
            return 1 + newlines(src.substring(0, Math.min(index, src.length())));
        }
    }

    /** Index of the '=' of {@code name = value} (not '==', not inside a string), or -1. */
    private static int assignment(String helpers) {
        char quote = 0;
        for (int i = 0; i < helpers.length(); i++) {
            char c = helpers.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '=' && (i + 1 >= helpers.length() || helpers.charAt(i + 1) != '=')
                    && (i == 0 || "=!<>".indexOf(helpers.charAt(i - 1)) < 0)) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Template globals

    private static ELFunctionDefinition function(String name, String method) {
        try {
            Method m = Globals.class.getDeclaredMethod(method, Object.class);
            m.setAccessible(true);
            return new ELFunctionDefinition("", name, m);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown by raise_exception() inside Jinjava, which records it as a template error; render() rethrows it. */
    private static final class TemplateRaise extends RuntimeException {

        private static final long serialVersionUID = 1L;

        TemplateRaise(String message) {
            super(message, null, false, false);
        }
    }

    /** What {@code strftime_now} and {@code raise_exception} are as variables: defined, and printable. */
    private record PyFunction(String name) {
        @Override
        public String toString() {
            return "<function " + name + ">";
        }
    }

    private static final class Globals {

        private Globals() {
        }

        static Object raiseException(Object message) {
            throw new TemplateRaise(Objects.toString(message));
        }

        static Object strftimeNow(Object format) {
            JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
            JinjavaConfig config = interpreter.getConfig();
            ZonedDateTime now = Instant.ofEpochMilli(config.getDateTimeProvider().getCurrentTimeMillis())
                    .atZone(config.getTimeZone());
            return strftime(now, Objects.toString(format));
        }
    }

    /** Python's {@code datetime.strftime} in the C locale, for the common directives. */
    static String strftime(ZonedDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, PYTHON_LOCALE));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, PYTHON_LOCALE));
                case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, PYTHON_LOCALE));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, PYTHON_LOCALE));
                case 'd' -> out.append(pad(t.getDayOfMonth(), 2));
                case 'e' -> out.append(String.format(PYTHON_LOCALE, "%2d", t.getDayOfMonth()));
                case 'm' -> out.append(pad(t.getMonthValue(), 2));
                case 'y' -> out.append(pad(t.getYear() % 100, 2));
                case 'Y' -> out.append(t.getYear());
                case 'H' -> out.append(pad(t.getHour(), 2));
                case 'I' -> out.append(pad(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2));
                case 'M' -> out.append(pad(t.getMinute(), 2));
                case 'S' -> out.append(pad(t.getSecond(), 2));
                case 'f' -> out.append(pad(t.getNano() / 1000, 6));
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'j' -> out.append(pad(t.getDayOfYear(), 3));
                case 'w' -> out.append(t.getDayOfWeek().getValue() % 7);
                case 'u' -> out.append(t.getDayOfWeek().getValue());
                case 'V' -> out.append(pad(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2));
                case 'G' -> out.append(t.get(IsoFields.WEEK_BASED_YEAR));
                case 'z' -> out.append(offset(t));
                case 'Z' -> out.append(t.getZone().getDisplayName(TextStyle.SHORT, PYTHON_LOCALE));
                case 'F' -> out.append(t.getYear()).append('-').append(pad(t.getMonthValue(), 2)).append('-')
                        .append(pad(t.getDayOfMonth(), 2));
                case 'T' -> out.append(pad(t.getHour(), 2)).append(':').append(pad(t.getMinute(), 2)).append(':')
                        .append(pad(t.getSecond(), 2));
                case 'D' -> out.append(pad(t.getMonthValue(), 2)).append('/').append(pad(t.getDayOfMonth(), 2))
                        .append('/').append(pad(t.getYear() % 100, 2));
                case 'U' -> out.append(pad((t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7, 2));
                case 'W' -> out.append(pad((t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7, 2));
                case 's' -> out.append(t.toEpochSecond());
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '%' -> out.append('%');
                default -> out.append('%').append(d);
            }
        }
        return out.toString();
    }

    private static String offset(ZonedDateTime t) {
        int seconds = t.getOffset().getTotalSeconds();
        int abs = Math.abs(seconds);
        return (seconds < 0 ? "-" : "+") + pad(abs / 3600, 2) + pad(abs / 60 % 60, 2);
    }

    private static String pad(long value, int width) {
        String s = Long.toString(value);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Filters

    /** transformers' tojson: {@code json.dumps(x, ensure_ascii=False, indent=..., separators=..., sort_keys=...)}. */
    private static final class ToJsonFilter implements Filter {

        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PyJson.dumps(var, null, null, null, false);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object ensureAscii = arg(args, kwargs, 0, "ensure_ascii");
            Object indent = arg(args, kwargs, 1, "indent");
            Object separators = arg(args, kwargs, 2, "separators");
            Object sortKeys = arg(args, kwargs, 3, "sort_keys");
            String itemSeparator = null;
            String keySeparator = null;
            if (separators instanceof List<?> pair && pair.size() == 2) {
                itemSeparator = Objects.toString(pair.get(0));
                keySeparator = Objects.toString(pair.get(1));
            }
            String indentText = switch (indent) {
                case null -> null;
                case Number n -> " ".repeat(Math.max(0, n.intValue()));
                default -> indent.toString();
            };
            String json = PyJson.dumps(var, indentText, itemSeparator, keySeparator, Boolean.TRUE.equals(sortKeys));
            return Boolean.TRUE.equals(ensureAscii) ? PyJson.asciiOnly(json) : json;
        }

        private static Object arg(Object[] args, Map<String, Object> kwargs, int position, String name) {
            if (kwargs.containsKey(name)) {
                return kwargs.get(name);
            }
            return args != null && args.length > position ? args[position] : null;
        }
    }

    /** Jinja2's trim: Python's {@code str.strip(chars)}. */
    private static final class TrimFilter implements Filter {

        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String chars = args.length > 0 ? args[0] : null;
            return var == null ? "" : PyStrings.strip(pyStr(var), chars, true, true);
        }
    }

    /** Jinja2's items: a mapping's (key, value) pairs. */
    private static final class ItemsFilter implements Filter {

        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            List<Object> items = new ArrayList<>();
            if (var instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    items.add(new PyList(new ArrayList<>(java.util.Arrays.asList(e.getKey(), e.getValue()))));
                }
            }
            return new PyList(items);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Python's json.dumps

    static final class PyJson {

        private PyJson() {
        }

        static String dumps(Object value, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
            String items = itemSeparator != null ? itemSeparator : indent != null ? "," : ", ";
            String keys = keySeparator != null ? keySeparator : ": ";
            StringBuilder out = new StringBuilder();
            write(out, value, indent, items, keys, sortKeys, 0);
            return out.toString();
        }

        private static void write(StringBuilder out, Object value, String indent, String items, String keys,
                boolean sortKeys, int level) {
            switch (value) {
                case null -> out.append("null");
                case Boolean b -> out.append(b ? "true" : "false");
                case String s -> string(out, s);
                case Character c -> string(out, c.toString());
                case Integer i -> out.append(i);
                case Long l -> out.append(l);
                case Short s -> out.append(s);
                case Byte b -> out.append(b);
                case BigInteger b -> out.append(b);
                case Double d -> out.append(floatRepr(d));
                case Float f -> out.append(floatRepr(f.doubleValue()));
                case BigDecimal b -> out.append(floatRepr(b.doubleValue()));
                case Number n -> out.append(floatRepr(n.doubleValue()));
                case Map<?, ?> map -> {
                    if (map.isEmpty()) {
                        out.append("{}");
                        return;
                    }
                    Map<?, ?> entries = map;
                    if (sortKeys) {
                        Map<String, Object> sorted = new TreeMap<>();
                        map.forEach((k, v) -> sorted.put(key(k), v));
                        entries = sorted;
                    }
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<?, ?> e : entries.entrySet()) {
                        if (!first) {
                            out.append(items);
                        }
                        first = false;
                        newline(out, indent, level + 1);
                        string(out, key(e.getKey()));
                        out.append(keys);
                        write(out, e.getValue(), indent, items, keys, sortKeys, level + 1);
                    }
                    newline(out, indent, level);
                    out.append('}');
                }
                case Collection<?> list -> sequence(out, list.iterator(), list.isEmpty(), indent, items, keys,
                        sortKeys, level);
                case Object[] array -> sequence(out, java.util.Arrays.asList(array).iterator(), array.length == 0,
                        indent, items, keys, sortKeys, level);
                default -> {
                    if (value instanceof Iterable<?> iterable) {
                        List<Object> list = new ArrayList<>();
                        iterable.forEach(list::add);
                        sequence(out, list.iterator(), list.isEmpty(), indent, items, keys, sortKeys, level);
                    } else {
                        throw new IllegalArgumentException("Object of type " + value.getClass().getSimpleName()
                                + " is not JSON serializable");
                    }
                }
            }
        }

        private static void sequence(StringBuilder out, Iterator<?> it, boolean empty, String indent, String items,
                String keys, boolean sortKeys, int level) {
            if (empty) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            while (it.hasNext()) {
                if (!first) {
                    out.append(items);
                }
                first = false;
                newline(out, indent, level + 1);
                write(out, it.next(), indent, items, keys, sortKeys, level + 1);
            }
            newline(out, indent, level);
            out.append(']');
        }

        private static void newline(StringBuilder out, String indent, int level) {
            if (indent != null) {
                out.append('\n').append(indent.repeat(level));
            }
        }

        private static String key(Object key) {
            return switch (key) {
                case null -> "null";
                case Boolean b -> b ? "true" : "false";
                case Double d -> floatRepr(d);
                case Float f -> floatRepr(f.doubleValue());
                default -> key.toString();
            };
        }

        private static void string(StringBuilder out, String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        /** ensure_ascii=True: every non-ASCII UTF-16 unit as \\uXXXX (surrogate pairs as two escapes). */
        static String asciiOnly(String json) {
            StringBuilder out = new StringBuilder(json.length());
            for (int i = 0; i < json.length(); i++) {
                char c = json.charAt(i);
                if (c > 0x7e) {
                    out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        /** Python's float repr: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
        static String floatRepr(double d) {
            if (Double.isNaN(d)) {
                return "NaN";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "Infinity" : "-Infinity";
            }
            if (d == 0) {
                return (1 / d < 0) ? "-0.0" : "0.0";
            }
            BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
            int exponent = exact.precision() - exact.scale() - 1;
            if (exponent < -4 || exponent >= 16) {
                String digits = exact.unscaledValue().abs().toString();
                String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
                return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                        + pad(Math.abs(exponent), 2);
            }
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Python string methods

    static final class PyStrings {

        private PyStrings() {
        }

        static boolean isSpace(int cp) {
            return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85 || (cp >= 0x1c && cp <= 0x1f);
        }

        static String strip(String s, String chars, boolean left, boolean right) {
            int start = 0;
            int end = s.length();
            if (left) {
                while (start < end) {
                    int cp = s.codePointAt(start);
                    if (!stripped(cp, chars)) {
                        break;
                    }
                    start += Character.charCount(cp);
                }
            }
            if (right) {
                while (end > start) {
                    int cp = s.codePointBefore(end);
                    if (!stripped(cp, chars)) {
                        break;
                    }
                    end -= Character.charCount(cp);
                }
            }
            return s.substring(start, end);
        }

        private static boolean stripped(int cp, String chars) {
            return chars == null ? isSpace(cp) : chars.indexOf(Character.toString(cp)) >= 0;
        }

        static List<Object> split(String s, String sep, int maxSplit) {
            List<Object> parts = new ArrayList<>();
            if (sep == null) {
                int i = 0;
                int n = s.length();
                while (true) {
                    while (i < n && isSpace(s.codePointAt(i))) {
                        i += Character.charCount(s.codePointAt(i));
                    }
                    if (i >= n) {
                        break;
                    }
                    if (maxSplit >= 0 && parts.size() == maxSplit) {
                        parts.add(strip(s.substring(i), null, false, true));
                        break;
                    }
                    int j = i;
                    while (j < n && !isSpace(s.codePointAt(j))) {
                        j += Character.charCount(s.codePointAt(j));
                    }
                    parts.add(s.substring(i, j));
                    i = j;
                }
                return parts;
            }
            if (sep.isEmpty()) {
                throw new IllegalArgumentException("empty separator");
            }
            int from = 0;
            while (maxSplit < 0 || parts.size() < maxSplit) {
                int at = s.indexOf(sep, from);
                if (at < 0) {
                    break;
                }
                parts.add(s.substring(from, at));
                from = at + sep.length();
            }
            parts.add(s.substring(from));
            return parts;
        }

        static List<Object> rsplit(String s, String sep, int maxSplit) {
            if (sep == null || maxSplit < 0) {
                return split(s, sep, maxSplit);
            }
            List<Object> parts = new ArrayList<>();
            int to = s.length();
            while (parts.size() < maxSplit) {
                int at = s.lastIndexOf(sep, to - sep.length());
                if (at < 0) {
                    break;
                }
                parts.add(0, s.substring(at + sep.length(), to));
                to = at;
            }
            parts.add(0, s.substring(0, to));
            return parts;
        }

        static String title(String s) {
            StringBuilder out = new StringBuilder(s.length());
            boolean previousCased = false;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                boolean cased = Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
                out.appendCodePoint(previousCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
                previousCased = cased;
                i += Character.charCount(cp);
            }
            return out.toString();
        }

        static String capitalize(String s) {
            if (s.isEmpty()) {
                return s;
            }
            int first = s.codePointAt(0);
            return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                    .append(s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT)).toString();
        }

        static boolean affix(String s, Object arg, boolean prefix) {
            if (arg instanceof Collection<?> options) {
                for (Object o : options) {
                    if (affix(s, o, prefix)) {
                        return true;
                    }
                }
                return false;
            }
            String a = Objects.toString(arg);
            return prefix ? s.startsWith(a) : s.endsWith(a);
        }

        static int count(String s, String sub) {
            if (sub.isEmpty()) {
                return s.codePointCount(0, s.length()) + 1;
            }
            int n = 0;
            for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
                n++;
            }
            return n;
        }

        static String replace(String s, String old, String replacement, int count) {
            if (count < 0) {
                return s.replace(old, replacement);
            }
            StringBuilder out = new StringBuilder();
            int from = 0;
            for (int done = 0; done < count; done++) {
                int at = s.indexOf(old, from);
                if (at < 0) {
                    break;
                }
                out.append(s, from, at).append(replacement);
                from = at + old.length();
                if (old.isEmpty()) {
                    if (from < s.length()) {
                        out.appendCodePoint(s.codePointAt(from));
                        from += Character.charCount(s.codePointAt(from));
                    } else {
                        break;
                    }
                }
            }
            return out.append(s.substring(Math.min(from, s.length()))).toString();
        }

        /** Python's index of a code point offset for a UTF-16 index. */
        static int codePointIndex(String s, int index) {
            return index < 0 ? -1 : s.codePointCount(0, index);
        }
    }

    /** Python {@code str} methods on Java strings; everything else goes to Jinjava's own resolvers. */
    private static final class PyResolver extends ELResolver {

        static final ELResolver RESOLVER = new CompositeELResolver() {
            {
                add(new PyResolver());
                add(com.hubspot.jinjava.el.JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
            }
        };

        private static final Set<String> METHODS = Set.of("startswith", "endswith", "strip", "lstrip", "rstrip",
                "split", "rsplit", "splitlines", "upper", "lower", "title", "capitalize", "replace", "find", "count",
                "join", "isspace", "isdigit", "isalpha", "isupper", "islower");

        @Override
        public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
            if (!(base instanceof String s) || !(method instanceof String name) || !METHODS.contains(name)) {
                return null;
            }
            Object[] p = params == null ? new Object[0] : params;
            Object result = call(s, name, p);
            context.setPropertyResolved(true);
            return result;
        }

        private static Object call(String s, String name, Object[] p) {
            return switch (name) {
                case "startswith" -> PyStrings.affix(s, p[0], true);
                case "endswith" -> PyStrings.affix(s, p[0], false);
                case "strip" -> PyStrings.strip(s, optionalString(p, 0), true, true);
                case "lstrip" -> PyStrings.strip(s, optionalString(p, 0), true, false);
                case "rstrip" -> PyStrings.strip(s, optionalString(p, 0), false, true);
                case "split" -> new PyList(PyStrings.split(s, optionalString(p, 0), optionalInt(p, 1)));
                case "rsplit" -> new PyList(PyStrings.rsplit(s, optionalString(p, 0), optionalInt(p, 1)));
                case "splitlines" -> new PyList(new ArrayList<>(s.lines().toList()));
                case "upper" -> s.toUpperCase(Locale.ROOT);
                case "lower" -> s.toLowerCase(Locale.ROOT);
                case "title" -> PyStrings.title(s);
                case "capitalize" -> PyStrings.capitalize(s);
                case "replace" -> PyStrings.replace(s, Objects.toString(p[0]), Objects.toString(p[1]),
                        optionalInt(p, 2));
                case "find" -> PyStrings.codePointIndex(s, s.indexOf(Objects.toString(p[0])));
                case "count" -> PyStrings.count(s, Objects.toString(p[0]));
                case "join" -> join(s, p[0]);
                case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(PyStrings::isSpace);
                case "isdigit" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
                case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
                case "isupper" -> s.codePoints().anyMatch(Character::isUpperCase)
                        && s.codePoints().noneMatch(Character::isLowerCase);
                case "islower" -> s.codePoints().anyMatch(Character::isLowerCase)
                        && s.codePoints().noneMatch(Character::isUpperCase);
                default -> throw new IllegalStateException(name);
            };
        }

        private static String join(String separator, Object items) {
            StringBuilder out = new StringBuilder();
            if (items instanceof Iterable<?> iterable) {
                boolean first = true;
                for (Object o : iterable) {
                    if (!first) {
                        out.append(separator);
                    }
                    first = false;
                    out.append(pyStr(o));
                }
            }
            return out.toString();
        }

        private static String optionalString(Object[] p, int i) {
            return p.length > i && p[i] != null ? p[i].toString() : null;
        }

        private static int optionalInt(Object[] p, int i) {
            return p.length > i && p[i] instanceof Number n ? n.intValue() : -1;
        }

        @Override
        public Object getValue(ELContext context, Object base, Object property) {
            return null;
        }

        @Override
        public Class<?> getType(ELContext context, Object base, Object property) {
            return null;
        }

        @Override
        public void setValue(ELContext context, Object base, Object property, Object value) {
            // not resolved here
        }

        @Override
        public boolean isReadOnly(ELContext context, Object base, Object property) {
            return true;
        }

        @Override
        public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
            return null;
        }

        @Override
        public Class<?> getCommonPropertyType(ELContext context, Object base) {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Jinja2 expression syntax on top of Jinjava's parser

    /** Jinjava with {@link PyParser} as its expression parser. */
    private static final class PyishJinjava extends Jinjava {

        private final ExpressionFactory expressionFactory = new ExpressionFactoryImpl(
                new TreeStore(new PyBuilder(), new Cache(1000)), new TruthyTypeConverter());

        PyishJinjava(JinjavaConfig config) {
            super(config);
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return expressionFactory;
        }
    }

    private static final class PyBuilder extends ExtendedSyntaxBuilder {

        private static final long serialVersionUID = 1L;

        PyBuilder() {
            super(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);
        }

        @Override
        protected Parser createParser(String expression) {
            return new PyParser(this, expression);
        }
    }

    /**
     * Jinjava's parser with two Jinja2 rules: a keyword argument's value is a whole expression ({@code f(a=x|length
     * - 1)}, where Jinjava binds {@code =} like {@code +}), and slices take Python's {@code [start:stop:step]}.
     */
    private static final class PyParser extends ExtendedParser {

        PyParser(Builder context, String input) {
            super(context, input);
        }

        /**
         * Jinja2's {@code not} binds looser than comparisons and tests: {@code not x is defined} is
         * {@code not (x is defined)}; EL's {@code not} is a unary operator that would take {@code x} alone.
         */
        @Override
        protected AstNode eq(boolean required) throws Scanner.ScanException, Parser.ParseException {
            if (getToken().getSymbol() == Scanner.Symbol.NOT) {
                consumeToken();
                return createAstUnary(eq(true), AstUnary.NOT);
            }
            return super.eq(required);
        }

        /**
         * Filters and tests after a unary operand, any number and in any order as Jinja2 takes them
         * ({@code messages|length is divisibleby 3}); Jinjava stops after a run of filters or one test.
         */
        @Override
        protected AstNode filter(boolean required) throws Scanner.ScanException, Parser.ParseException {
            AstNode v = unary(required);
            if (v == null) {
                return null;
            }
            while (true) {
                if ("|".equals(getToken().getImage()) && lookahead(0).getSymbol() == Scanner.Symbol.IDENTIFIER) {
                    consumeToken();
                    String name = consumeToken().getImage();
                    List<AstNode> params = new ArrayList<>(List.of(v, interpreter()));
                    if (getToken().getSymbol() == Scanner.Symbol.LPAREN) {
                        AstParameters args = params();
                        for (int i = 0; i < args.getCardinality(); i++) {
                            params.add(args.getChild(i));
                        }
                    }
                    v = createAstMethod(createAstDot(identifier(ExtendedParser.FILTER_PREFIX + name), "filter", true),
                            createAstParameters(params));
                } else if ("is".equals(getToken().getImage()) && "not".equals(lookahead(0).getImage())
                        && isTestName(lookahead(1).getSymbol())) {
                    consumeToken();
                    consumeToken();
                    v = test(v, "evaluateNegated");
                } else if ("is".equals(getToken().getImage()) && isTestName(lookahead(0).getSymbol())) {
                    consumeToken();
                    v = test(v, "evaluate");
                } else {
                    return v;
                }
            }
        }

        private AstNode test(AstNode subject, String method) throws Scanner.ScanException, Parser.ParseException {
            String name = consumeToken().getImage();
            List<AstNode> params = new ArrayList<>(List.of(subject, interpreter()));
            AstNode argument = value();
            if (argument != null) {
                params.add(argument);
            }
            return createAstMethod(createAstDot(identifier(ExtendedParser.EXPTEST_PREFIX + name), method, true),
                    createAstParameters(params));
        }

        private static boolean isTestName(Scanner.Symbol symbol) {
            return switch (symbol) {
                case IDENTIFIER, EQ, NE, LT, LE, GT, GE, TRUE, FALSE, EXTENSION -> true;
                default -> false;
            };
        }

        @Override
        protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
            return super.createAstBinary(left, right, operator == AstBinary.MUL ? PY_MUL : operator);
        }

        @Override
        protected AstBracket createAstBracket(AstNode base, AstNode property, boolean lvalue, boolean strict) {
            return new PyBracket(base, property, lvalue, strict);
        }

        @Override
        protected AstNode add(boolean required) throws Scanner.ScanException, Parser.ParseException {
            AstNode v = mul(required);
            if (v == null) {
                return null;
            }
            while (true) {
                switch (getToken().getSymbol()) {
                    case PLUS -> {
                        consumeToken();
                        v = createAstBinary(v, mul(true), AdditionOperator.OP);
                    }
                    case MINUS -> {
                        consumeToken();
                        v = createAstBinary(v, mul(true), AstBinary.SUB);
                    }
                    case EXTENSION -> {
                        if (NamedParameterOperator.TOKEN.getImage().equals(getToken().getImage())) {
                            consumeToken();
                            return NamedParameterOperator.HANDLER.createAstNode(v, expr(true));
                        }
                        if (getExtensionHandler(getToken()).getExtensionPoint() != Parser.ExtensionPoint.ADD) {
                            return v;
                        }
                        v = getExtensionHandler(consumeToken()).createAstNode(v, mul(true));
                    }
                    default -> {
                        return v;
                    }
                }
            }
        }

        @Override
        protected AstNode value() throws Scanner.ScanException, Parser.ParseException {
            boolean lvalue = true;
            AstNode v = nonliteral();
            if (v == null) {
                v = literal();
                if (v == null) {
                    return null;
                }
                lvalue = false;
            }
            while (true) {
                switch (getToken().getSymbol()) {
                    case DOT -> {
                        consumeToken();
                        String name = consumeToken(Scanner.Symbol.IDENTIFIER).getImage();
                        AstDot dot = createAstDot(v, name, lvalue);
                        if (getToken().getSymbol() == Scanner.Symbol.LPAREN
                                && context.isEnabled(Builder.Feature.METHOD_INVOCATIONS)) {
                            v = createAstMethod(dot, params());
                        } else {
                            v = dot;
                        }
                    }
                    case LBRACK -> {
                        consumeToken();
                        AstNode start = expr(false);
                        boolean strict = !context.isEnabled(Builder.Feature.NULL_PROPERTIES);
                        Scanner.Token next = consumeToken();
                        if (next.getSymbol() == Scanner.Symbol.COLON) {
                            AstNode stop = expr(false);
                            AstNode step = null;
                            if (getToken().getSymbol() == Scanner.Symbol.COLON) {
                                consumeToken();
                                step = expr(false);
                            }
                            consumeToken(Scanner.Symbol.RBRACK);
                            v = new AstSlice(v, start, stop, step);
                        } else if (next.getSymbol() == Scanner.Symbol.RBRACK) {
                            AstBracket bracket = createAstBracket(v, start, lvalue, strict);
                            if (getToken().getSymbol() == Scanner.Symbol.LPAREN
                                    && context.isEnabled(Builder.Feature.METHOD_INVOCATIONS)) {
                                v = createAstMethod(bracket, params());
                            } else {
                                v = bracket;
                            }
                        } else {
                            fail(Scanner.Symbol.RBRACK);
                        }
                    }
                    default -> {
                        // Operators (filters, tests) are parsed at Jinja2's precedence level: natural precedence is on.
                        return v;
                    }
                }
            }
        }
    }

    /** Python's {@code *}: strings and lists repeated by an integer; numbers as Jinjava multiplies them. */
    private static final AstBinary.Operator PY_MUL = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if ((a instanceof String || a instanceof List<?>) && isInteger(b)) {
                return repeat(a, ((Number) b).intValue());
            }
            if (isInteger(a) && (b instanceof String || b instanceof List<?>)) {
                return repeat(b, ((Number) a).intValue());
            }
            return NumberOperations.mul(converter, a, b);
        }

        private static boolean isInteger(Object o) {
            return o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte
                    || o instanceof BigInteger;
        }

        private static Object repeat(Object value, int times) {
            if (value instanceof String s) {
                return s.repeat(Math.max(0, times));
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                out.addAll((List<?>) value);
            }
            return new PyList(out);
        }

        @Override
        public String toString() {
            return "*";
        }
    };

    /** {@code x[i]}; on a string, Python's code point at {@code i} (negative from the end). */
    private static final class PyBracket extends AstBracket {

        PyBracket(AstNode base, AstNode property, boolean lvalue, boolean strict) {
            super(base, property, lvalue, strict, false);
        }

        @Override
        public Object eval(Bindings bindings, ELContext context) {
            Object base = prefix.eval(bindings, context);
            if (base instanceof String s) {
                Object index = property.eval(bindings, context);
                if (index instanceof Number n && !(index instanceof Double) && !(index instanceof Float)) {
                    int[] cps = s.codePoints().toArray();
                    int i = n.intValue() < 0 ? n.intValue() + cps.length : n.intValue();
                    if (i < 0 || i >= cps.length) {
                        throw new ELException("string index out of range");
                    }
                    return Character.toString(cps[i]);
                }
            }
            return super.eval(bindings, context);
        }
    }

    /** {@code seq[start:stop:step]} with Python's semantics, on lists (and other iterables) and strings. */
    private static final class AstSlice extends AstRightValue {

        private final AstNode base;
        private final AstNode start;
        private final AstNode stop;
        private final AstNode step;

        AstSlice(AstNode base, AstNode start, AstNode stop, AstNode step) {
            this.base = base;
            this.start = start;
            this.stop = stop;
            this.step = step;
        }

        @Override
        public Object eval(Bindings bindings, ELContext context) {
            Object value = base.eval(bindings, context);
            if (value == null) {
                return null;
            }
            Integer first = bound(start, bindings, context);
            Integer last = bound(stop, bindings, context);
            Integer by = bound(step, bindings, context);
            int stride = by == null ? 1 : by;
            if (stride == 0) {
                throw new ELException("slice step cannot be zero");
            }
            if (value instanceof String s) {
                int[] cps = s.codePoints().toArray();
                StringBuilder out = new StringBuilder();
                for (int i : indices(cps.length, first, last, stride)) {
                    out.appendCodePoint(cps[i]);
                }
                return out.toString();
            }
            List<Object> items = new ArrayList<>();
            if (value instanceof Iterable<?> iterable) {
                iterable.forEach(items::add);
            } else if (value instanceof Object[] array) {
                items.addAll(java.util.Arrays.asList(array));
            } else {
                throw new ELException("'" + value.getClass().getSimpleName() + "' object is not subscriptable");
            }
            List<Object> out = new ArrayList<>();
            for (int i : indices(items.size(), first, last, stride)) {
                out.add(items.get(i));
            }
            return new PyList(out);
        }

        private static Integer bound(AstNode node, Bindings bindings, ELContext context) {
            if (node == null) {
                return null;
            }
            Object v = node.eval(bindings, context);
            if (v == null) {
                return null;
            }
            if (!(v instanceof Number n)) {
                throw new ELException("slice indices must be integers or None");
            }
            return n.intValue();
        }

        /** CPython's PySlice_AdjustIndices. */
        private static List<Integer> indices(int length, Integer start, Integer stop, int step) {
            int lo;
            int hi;
            if (step > 0) {
                lo = start == null ? 0 : clamp(start, length, 0, length);
                hi = stop == null ? length : clamp(stop, length, 0, length);
            } else {
                lo = start == null ? length - 1 : clamp(start, length, -1, length - 1);
                hi = stop == null ? -1 : clamp(stop, length, -1, length - 1);
            }
            List<Integer> out = new ArrayList<>();
            for (int i = lo; step > 0 ? i < hi : i > hi; i += step) {
                out.add(i);
            }
            return out;
        }

        private static int clamp(int index, int length, int min, int max) {
            int i = index < 0 ? index + length : index;
            return Math.max(min, Math.min(max, i));
        }

        @Override
        public void appendStructure(StringBuilder b, Bindings bindings) {
            base.appendStructure(b, bindings);
            b.append('[');
            if (start != null) {
                start.appendStructure(b, bindings);
            }
            b.append(':');
            if (stop != null) {
                stop.appendStructure(b, bindings);
            }
            if (step != null) {
                b.append(':');
                step.appendStructure(b, bindings);
            }
            b.append(']');
        }

        @Override
        public int getCardinality() {
            return 4;
        }

        @Override
        public AstNode getChild(int i) {
            return switch (i) {
                case 0 -> base;
                case 1 -> start;
                case 2 -> stop;
                case 3 -> step;
                default -> null;
            };
        }

        @Override
        public String toString() {
            return "[:]";
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Output as Python's str()

    /** Prints {@code {{ x }}} as Jinja2 does ({@code str(x)}): True/False, Python reprs inside lists and dicts. */
    private static final class PyOutput implements ExpressionStrategy {

        private static final long serialVersionUID = 1L;

        @Override
        public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
            Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
            // null is Jinja2's Undefined (a missing bos_token, an unknown key), which prints as nothing.
            return new RenderedOutputNode(value == null ? "" : pyStr(value));
        }
    }

    /** Python's {@code str()} of a template value. */
    static String pyStr(Object value) {
        return switch (value) {
            case null -> "None";
            case String s -> s;
            case Boolean b -> b ? "True" : "False";
            case Double d -> PyJson.floatRepr(d);
            case Float f -> PyJson.floatRepr(f.doubleValue());
            case Map<?, ?> m -> pyRepr(m);
            case Collection<?> c -> pyRepr(c);
            default -> value.toString();
        };
    }

    /** Python's {@code repr()} of a template value. */
    static String pyRepr(Object value) {
        StringBuilder out = new StringBuilder();
        switch (value) {
            case null -> out.append("None");
            case String s -> {
                char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
                out.append(quote);
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    switch (c) {
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        case '\t' -> out.append("\\t");
                        default -> {
                            if (c == quote) {
                                out.append('\\').append(c);
                            } else if (c < 0x20 || c == 0x7f) {
                                out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                            } else {
                                out.append(c);
                            }
                        }
                    }
                }
                out.append(quote);
            }
            case Map<?, ?> m -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.append(first ? "" : ", ").append(pyRepr(e.getKey())).append(": ").append(pyRepr(e.getValue()));
                    first = false;
                }
                out.append('}');
            }
            case Collection<?> c -> {
                out.append('[');
                boolean first = true;
                for (Object o : c) {
                    out.append(first ? "" : ", ").append(pyRepr(o));
                    first = false;
                }
                out.append(']');
            }
            default -> out.append(pyStr(value));
        }
        return out.toString();
    }

    /** transformers' {@code {% generation %}} (marks assistant text for masks): renders its body unchanged. */
    private static final class GenerationTag implements com.hubspot.jinjava.lib.tag.Tag {

        private static final long serialVersionUID = 1L;

        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder out = new StringBuilder();
            for (Node child : tagNode.getChildren()) {
                out.append(child.render(interpreter).getValue());
            }
            return out.toString();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // No file access from templates

    private static final ResourceLocator NO_RESOURCES = new ResourceLocator() {
        @Override
        public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter)
                throws ResourceNotFoundException {
            throw new ResourceNotFoundException("chat templates cannot load other templates: " + fullName);
        }
    };

    /** Replaces include/import/from/extends: a chat template is one self-contained string. */
    private static final class NoTag implements com.hubspot.jinjava.lib.tag.Tag {

        private static final long serialVersionUID = 1L;

        private final String name;

        NoTag(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getEndTagName() {
            return null;
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            throw new com.hubspot.jinjava.interpret.InterpretException(
                    "'" + name + "' is not available in chat templates", tagNode.getLineNumber());
        }
    }

}
