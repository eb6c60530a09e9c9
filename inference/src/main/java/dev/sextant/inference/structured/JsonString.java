package dev.sextant.inference.structured;

import dev.sextant.inference.structured.JsonState.Frame;
import dev.sextant.inference.structured.JsonState.Stack;
import dev.sextant.inference.structured.SchemaNode.StringSchema;
import java.util.Set;

/**
 * Inside a string ({@code node} null: any string). {@code chars} counts the characters so far when the schema counts
 * them; {@code escape} is 1 after a backslash and 2..5 inside {@code \\u} after {@code escape - 2} hex digits;
 * {@code utf8} continuation bytes are still due, the next one in {@code 0x80 + next .. 0xBF - tail} (UTF-8's ranges
 * after E0, ED, F0 and F4 shut out overlong forms, surrogates and code points past U+10FFFF). With a pattern,
 * {@code nfa} holds its states and {@code cp} the character being decoded (UTF-8 or a {@code \\u} escape), fed to
 * the pattern once whole; without one both stay 0/null, so equal states stay equal whatever was written.
 */
record JsonString(StringSchema node, int chars, int escape, int utf8, int next, int tail, int cp,
                  StringPattern.Bits nfa) implements Frame {

    static JsonString start(StringSchema node) {
        return new JsonString(node, 0, 0, 0, 0, 0, 0, node != null && node.pattern != null ? node.pattern.start()
                : null);
    }

    private StringPattern pattern() {
        return node == null ? null : node.pattern;
    }

    /** The same string with {@code c} written in full: counted, and fed to the pattern; null if it rejects it. */
    private JsonString written(int c) {
        StringPattern.Bits after = nfa;
        int count = counted();
        if (pattern() != null) {
            after = pattern().step(nfa, c);
            // Under a length limit, the pattern must still be completable in the characters left.
            if (after == null || pattern().minChars(after) > charsLeftAfterThis()) {
                return null;
            }
        }
        return new JsonString(node, count, 0, 0, 0, 0, 0, after);
    }

    private void add(Set<Stack> out, Stack rest, JsonString s) {
        if (s != null) {
            out.add(new Stack(s, rest));
        }
    }

    /** Code points a UTF-8 sequence of {@code length} bytes can stand for, from its lead byte on. */
    private static final int[] FIRST_OF_LENGTH = {0, 0, 0x80, 0x800, 0x10000};

    /**
     * With a pattern, whether the character begun (its bits so far {@code prefix}, {@code remaining} continuation
     * bytes to come, {@code length} bytes in all) can still be one the pattern takes.
     */
    private boolean mayBecome(int prefix, int remaining, int length) {
        if (pattern() == null) {
            return true;
        }
        int lo = Math.max(prefix << 6 * remaining, FIRST_OF_LENGTH[length]);
        int hi = Math.min(prefix << 6 * remaining | (1 << 6 * remaining) - 1, 0x10FFFF);
        int budget = charsLeftAfterThis();
        return pattern().canStep(nfa, lo, hi, budget);
    }

    /** With a pattern, whether a {@code \\u} escape with {@code prefix} so far and {@code digits} hex digits to come
     * can still be a character the pattern takes. */
    private boolean mayBecomeEscaped(int prefix, int digits) {
        if (pattern() == null) {
            return true;
        }
        int budget = charsLeftAfterThis();
        return pattern().canStep(nfa, prefix << 4 * digits, prefix << 4 * digits | (1 << 4 * digits) - 1, budget);
    }

    @Override
    public void step(int b, Stack rest, Set<Stack> out) {
        boolean tracking = pattern() != null;
        if (utf8 > 0) {
            if (b >= 0x80 + next && b <= 0xBF - tail) {
                int c = tracking ? cp << 6 | b & 0x3F : 0;
                if (utf8 == 1) {
                    add(out, rest, written(c));
                } else if (mayBecome(c, utf8 - 1, 0)) {
                    add(out, rest, new JsonString(node, chars, 0, utf8 - 1, 0, 0, c, nfa));
                }
            }
            return;
        }
        if (escape == 1) {
            int c = switch (b) {
                case '"', '\\', '/' -> b;
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> -1;
            };
            if (c >= 0) {
                add(out, rest, written(c));
            } else if (b == 'u' && mayBecomeEscaped(0, 4)) {
                add(out, rest, new JsonString(node, chars, 2, 0, 0, 0, 0, nfa));
            }
            return;
        }
        if (escape >= 2) {
            int hex = Character.digit(b, 16);
            if (hex >= 0 && b < 0x80) {
                int c = tracking ? cp << 4 | hex : 0;
                if (escape == 5) {
                    add(out, rest, written(c));
                } else if (mayBecomeEscaped(c, 5 - escape)) {
                    add(out, rest, new JsonString(node, chars, escape + 1, 0, 0, 0, c, nfa));
                }
            }
            return;
        }
        if (b == '"') {
            if ((node == null || chars >= node.minLength) && (!tracking || pattern().accepts(nfa))) {
                out.add(rest);
            }
            return;
        }
        if (b < 0x20 || node != null && node.maxLength >= 0 && chars >= node.maxLength) {
            return;
        }
        if (b == '\\') {
            // Every escape either writes one of these or, as \\u, any character of the BMP.
            if (mayBecomeEscaped(0, 4)) {
                add(out, rest, new JsonString(node, chars, 1, 0, 0, 0, 0, nfa));
            }
        } else if (b < 0x80) {
            add(out, rest, written(b));
        } else if (b >= 0xC2 && b <= 0xDF) {
            if (mayBecome(b & 0x1F, 1, 2)) {
                add(out, rest, new JsonString(node, chars, 0, 1, 0, 0, tracking ? b & 0x1F : 0, nfa));
            }
        } else if (b >= 0xE0 && b <= 0xEF) {
            if (mayBecome(b & 0x0F, 2, 3)) {
                add(out, rest, new JsonString(node, chars, 0, 2, b == 0xE0 ? 0x20 : 0, b == 0xED ? 0x20 : 0,
                        tracking ? b & 0x0F : 0, nfa));
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            if (mayBecome(b & 0x07, 3, 4)) {
                add(out, rest, new JsonString(node, chars, 0, 3, b == 0xF0 ? 0x10 : 0, b == 0xF4 ? 0x30 : 0,
                        tracking ? b & 0x07 : 0, nfa));
            }
        }
    }

    private static final int[] SIMPLE_ESCAPES = {'"', '\\', '/', '\b', '\f', '\n', '\r', '\t'};

    /** Whether, after a backslash, a one-letter escape can follow (else only a six-byte {@code \\u} one). */
    private boolean simpleEscapeAllowed() {
        if (pattern() == null) {
            return true;
        }
        int budget = charsLeftAfterThis();
        for (int c : SIMPLE_ESCAPES) {
            if (pattern().canStep(nfa, c, c, budget)) {
                return true;
            }
        }
        return false;
    }

    /** Characters {@code maxLength} leaves after the one being written ({@link Integer#MAX_VALUE}: no limit). */
    private int charsLeftAfterThis() {
        return node.maxLength >= 0 ? node.maxLength - counted() : Integer.MAX_VALUE;
    }

    /** {@code chars} plus the character just written, capped where more no longer matters. */
    private int counted() {
        if (node == null || !node.counts()) {
            return 0;
        }
        int cap = node.maxLength >= 0 ? node.maxLength : node.minLength;
        return Math.min(chars + 1, cap);
    }

    @Override
    public int minBytes() {
        boolean pending = escape > 0 || utf8 > 0;
        int remainder = utf8 + (escape == 1 ? (simpleEscapeAllowed() ? 1 : 5) : escape >= 2 ? 6 - escape : 0);
        int missing = node == null ? 0 : Math.max(0, node.minLength - chars - (pending ? 1 : 0));
        if (pattern() != null) {
            long afterPattern;
            if (!pending) {
                afterPattern = pattern().minChars(nfa);
            } else {
                // The character being written, whichever it becomes, then what the pattern needs after it.
                int bits = utf8 > 0 ? 6 * utf8 : escape == 1 ? 16 : 4 * (6 - escape);
                int prefix = escape == 1 ? 0 : cp;
                int lo = prefix << bits;
                afterPattern = pattern().minCharsAfter(nfa, lo, Math.min(0x10FFFF, lo | (1 << bits) - 1));
            }
            missing = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(missing, afterPattern));
        }
        return remainder + missing + 1;
    }
}
