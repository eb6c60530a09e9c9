package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.util.List;
import java.util.regex.Pattern;
import jinjava.javax.el.ELException;

/**
 * Checks a parsed template as Jinja2's compile would: the syntax of every expression, in whatever branch, and the
 * loop features Jinjava would silently get wrong.
 */
final class TemplateSyntaxCheck {

    /** Parses (without evaluating) expressions. */
    private static final PythonSyntaxBuilder PARSER = new PythonSyntaxBuilder();

    private TemplateSyntaxCheck() {
    }

    /** Parses every expression up front, so that a syntax error anywhere fails at load, as Jinja2's compile does. */
    static void checkExpressions(Node node, List<String> errors) {
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
}
