package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** Prints {@code {{ x }}} as Jinja2 does ({@code str(x)}): True/False, Python reprs inside lists and dicts. */
final class PythonOutput implements ExpressionStrategy {

    private static final long serialVersionUID = 1L;

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
        Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
        // null is Jinja2's Undefined (a missing bos_token, an unknown key), which prints as nothing.
        return new RenderedOutputNode(value == null ? "" : str(value));
    }

    /** Python's {@code str()} of a template value. */
    static String str(Object value) {
        return switch (value) {
            case null -> "None";
            case String s -> s;
            case Boolean b -> b ? "True" : "False";
            case Double d -> PythonJson.floatRepr(d);
            case Float f -> PythonJson.floatRepr(f.doubleValue());
            case Map<?, ?> m -> repr(m);
            case Collection<?> c -> repr(c);
            default -> value.toString();
        };
    }

    /** Python's {@code repr()} of a template value. */
    static String repr(Object value) {
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
                    out.append(first ? "" : ", ").append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                    first = false;
                }
                out.append('}');
            }
            case Collection<?> c -> {
                out.append('[');
                boolean first = true;
                for (Object o : c) {
                    out.append(first ? "" : ", ").append(repr(o));
                    first = false;
                }
                out.append(']');
            }
            default -> out.append(str(value));
        }
        return out.toString();
    }
}
