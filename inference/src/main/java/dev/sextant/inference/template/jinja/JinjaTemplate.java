package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.interpret.AutoCloseableSupplier;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.tree.Node;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Jinja2 template, as Hugging Face chat templates are written, compiled once with HubSpot Jinjava brought to
 * Jinja2's behaviour where chat templates need it:
 * <ul>
 * <li>whitespace control, trim_blocks and lstrip_blocks applied by {@code Jinja2SourceRewriter} as Jinja2's lexer
 * does (Jinjava's own strips spaces before any tag, not only at the start of a line, and mishandles {@code {#- -#}}),
 * "}}" closing nested braces inside an expression, Python string escapes ({@code \u00e9}, {@code \x41});</li>
 * <li>Jinja2 precedence: filters and tests bind to the operand, in any order ({@code x|length is divisibleby 3}),
 * {@code not} takes the whole comparison ({@code not x is defined}), a keyword argument's value is a whole
 * expression ({@code namespace(i=messages|length - 1)}); Python slices with a step ({@code messages[::-1]}),
 * string indexing ({@code s[-1]}), {@code 'ab' * 2};</li>
 * <li>Python {@code str} methods ({@code startswith}, {@code strip('\n')}, {@code split}, ...), Python's
 * {@code str.strip} for {@code | trim}, an {@code items} filter, transformers' {@code {% generation %}}, output as
 * Python's {@code str()} ({@code True}, {@code [1, 'a', None]});</li>
 * <li>transformers' globals {@code raise_exception(msg)} and {@code strftime_now(fmt)}, and a {@code tojson} filter
 * that writes what Python's {@code json.dumps(ensure_ascii=False)} writes;</li>
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
public final class JinjaTemplate {

    private final JinjaEngine engine;
    private final Node root;

    private JinjaTemplate(JinjaEngine engine, Node root) {
        this.engine = engine;
        this.root = root;
    }

    /**
     * Compiles {@code source}: its syntax is checked here, and an {@link IllegalArgumentException} names the line
     * and the error. {@code strftime_now()} formats {@code clock}'s time in its zone.
     */
    public static JinjaTemplate compile(String source, Clock clock) {
        JinjaEngine engine = new JinjaEngine(clock);
        String jinjavaSource = Jinja2SourceRewriter.toJinjava(source);
        List<String> errors = new ArrayList<>();
        Outcome<Node> parsed = withInterpreter(engine, Map.of(), interpreter -> {
            // Expression nodes keep the strategy of the context that parsed them.
            interpreter.getContext().setExpressionStrategy(new PythonOutput());
            Node tree = interpreter.parse(jinjavaSource);
            // The parser reads Jinja2 precedence from the current interpreter's config: parse with it current.
            TemplateSyntaxCheck.checkExpressions(tree, errors);
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
        return new JinjaTemplate(engine, parsed.value());
    }

    /**
     * The template rendered with {@code variables} (JSON-like values) and transformers' globals.
     *
     * @throws TemplateRaisedException the template called {@code raise_exception}
     * @throws IllegalStateException the template failed in another way (a template feature not supported here)
     */
    public String render(Map<String, Object> variables) {
        Map<String, Object> bindings = new HashMap<>(variables);
        TemplateGlobals.bindAsVariables(bindings);

        Outcome<String> rendered;
        try {
            rendered = withInterpreter(engine, bindings, interpreter -> interpreter.render(root));
        } catch (RuntimeException e) {
            TemplateRaisedException raise = raiseIn(e);
            if (raise != null) {
                throw raise;
            }
            throw new IllegalStateException("chat template failed: " + e.getMessage(), e);
        }
        List<String> errors = new ArrayList<>();
        for (TemplateError error : rendered.errors()) {
            if (error.getSeverity() != TemplateError.ErrorType.FATAL) {
                continue;
            }
            TemplateRaisedException raise = raiseIn(error.getException());
            if (raise != null) {
                // Jinja2 stops at the first raise_exception; Jinjava records it and renders on.
                throw raise;
            }
            errors.add(describe(error));
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("chat template failed: " + String.join("; ", errors));
        }
        return rendered.value();
    }

    private record Outcome<T>(T value, List<TemplateError> errors) {
    }

    /** Runs {@code work} with a fresh interpreter over {@code bindings}, as Jinjava's current one. */
    private static <T> Outcome<T> withInterpreter(JinjaEngine engine, Map<String, Object> bindings,
            Function<JinjavaInterpreter, T> work) {
        JinjavaInterpreter interpreter = engine.newInterpreter(bindings);
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

    private static TemplateRaisedException raiseIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TemplateRaisedException raise) {
                return raise;
            }
        }
        return null;
    }
}
