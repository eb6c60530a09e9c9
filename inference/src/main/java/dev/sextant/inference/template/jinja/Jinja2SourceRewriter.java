package dev.sextant.inference.template.jinja;

import java.util.ArrayList;
import java.util.List;

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
final class Jinja2SourceRewriter {

    private final String src;
    private final StringBuilder out = new StringBuilder();
    private int pos;
    private boolean lineStarting = true;

    private Jinja2SourceRewriter(String template) {
        String s = template.replace("\r\n", "\n").replace('\r', '\n');
        this.src = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    static String toJinjava(String template) {
        Jinja2SourceRewriter lexer = new Jinja2SourceRewriter(template);
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
                String stripped = PythonStrings.strip(text, null, false, true);
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
            content = PythonStrings.strip(content, null, false, true);
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
                        while (end < body.length() && end < i + 3
                                && body.charAt(end) >= '0' && body.charAt(end) <= '7') {
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
        while (i < src.length() && PythonStrings.isSpace(src.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean allSpace(String s) {
        return s.codePoints().allMatch(PythonStrings::isSpace);
    }

    private static int newlines(String s) {
        return (int) s.chars().filter(ch -> ch == '\n').count();
    }

    private int line(int index) {
        return 1 + newlines(src.substring(0, Math.min(index, src.length())));
    }
}
