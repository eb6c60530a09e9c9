package dev.sextant.inference.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the regular-expression subset {@link StringPattern} runs and builds its NFA (Thompson's construction:
 * each repeat of a quantified atom is a copy of it, compiled again from its text).
 */
final class PatternParser {

    /** A repetition bound past this is refused: each repeat is a copy of the NFA. */
    static final int MAX_REPEAT = 256;
    static final int MAX_STATES = 20_000;

    /** The ranges of {@code \\d}, {@code \\w} and {@code \\s} (sorted pairs lo, hi; never written to). */
    private static final int[] DIGITS = {'0', '9'};
    private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
    private static final int[] SPACE = {'\t', '\r', ' ', ' '};

    private final List<int[]> ranges = new ArrayList<>();
    private final List<Integer> target = new ArrayList<>();
    private final List<int[]> epsilon = new ArrayList<>();
    private final String source;
    private int pos;

    private PatternParser(String source) {
        this.source = source;
    }

    /** @throws IllegalArgumentException naming what in the pattern is not supported */
    static StringPattern parse(String pattern) {
        return new PatternParser(pattern).build();
    }


    private int state() {
        if (ranges.size() >= MAX_STATES) {
            throw new IllegalArgumentException("pattern '" + source + "' is too large to enforce");
        }
        ranges.add(null);
        target.add(-1);
        epsilon.add(new int[0]);
        return ranges.size() - 1;
    }

    private void edge(int from, int[] r, int to) {
        ranges.set(from, r);
        target.set(from, to);
    }

    private void eps(int from, int to) {
        int[] e = epsilon.get(from);
        int[] more = Arrays.copyOf(e, e.length + 1);
        more[e.length] = to;
        epsilon.set(from, more);
    }

    /** A fragment: its entry and exit states. */
    private record Frag(int in, int out) {
    }

    private static final int[] ANY = {0, 0x10FFFF};

    private StringPattern build() {
        boolean anchoredStart = source.startsWith("^");
        pos = anchoredStart ? 1 : 0;
        int s = state();
        int e = s;
        if (!anchoredStart) {
            Frag any = star(single(ANY));
            eps(e, any.in);
            e = any.out;
        }
        Frag body = alternation();
        eps(e, body.in);
        e = body.out;
        boolean anchoredEnd = false;
        if (pos < source.length() && source.charAt(pos) == '$' && pos == source.length() - 1) {
            anchoredEnd = true;
            pos++;
        }
        if (pos != source.length()) {
            throw unsupported(pos < source.length() && source.charAt(pos) == ')' ? "an unmatched ')'"
                    : "'" + source.charAt(pos) + "' here");
        }
        if (!anchoredEnd) {
            Frag any = star(single(ANY));
            eps(e, any.in);
            e = any.out;
        }
        return new StringPattern(ranges, target, epsilon, s, e);
    }

    private Frag alternation() {
        Frag left = sequence();
        while (pos < source.length() && source.charAt(pos) == '|') {
            pos++;
            Frag right = sequence();
            int in = state();
            int out = state();
            eps(in, left.in);
            eps(in, right.in);
            eps(left.out, out);
            eps(right.out, out);
            left = new Frag(in, out);
        }
        return left;
    }

    private Frag sequence() {
        int in = state();
        int out = in;
        while (pos < source.length() && source.charAt(pos) != '|' && source.charAt(pos) != ')'
                && !(source.charAt(pos) == '$' && pos == source.length() - 1)) {
            int atomStart = pos;
            Frag atom = atom();
            atom = quantified(atom, atomStart);
            eps(out, atom.in);
            out = atom.out;
        }
        return new Frag(in, out);
    }

    private Frag atom() {
        char c = source.charAt(pos++);
        switch (c) {
            case '(' -> {
                if (source.startsWith("?:", pos)) {
                    pos += 2;
                } else if (pos < source.length() && source.charAt(pos) == '?') {
                    throw unsupported("lookaround and named groups");
                }
                Frag inner = alternation();
                if (pos >= source.length() || source.charAt(pos) != ')') {
                    throw unsupported("an unclosed '('");
                }
                pos++;
                return inner;
            }
            case '[' -> {
                return single(charClass());
            }
            case '.' -> {
                return single(new int[] {0, '\n' - 1, '\n' + 1, '\r' - 1, '\r' + 1, 0x10FFFF});
            }
            case '\\' -> {
                return single(escape(false));
            }
            case '*', '+', '?', '{' -> throw unsupported("a quantifier with nothing before it");
            case '^', '$' -> throw unsupported("'" + c + "' inside the pattern (only at its ends)");
            default -> {
                int cp = source.codePointAt(pos - 1);
                pos += Character.charCount(cp) - 1;
                return single(new int[] {cp, cp});
            }
        }
    }

    private Frag quantified(Frag atom, int atomStart) {
        if (pos >= source.length()) {
            return atom;
        }
        char q = source.charAt(pos);
        int min;
        int max;
        switch (q) {
            case '*' -> {
                min = 0;
                max = -1;
            }
            case '+' -> {
                min = 1;
                max = -1;
            }
            case '?' -> {
                min = 0;
                max = 1;
            }
            case '{' -> {
                int close = source.indexOf('}', pos);
                if (close < 0) {
                    throw unsupported("an unclosed '{'");
                }
                String[] parts = source.substring(pos + 1, close).split(",", -1);
                try {
                    min = Integer.parseInt(parts[0].strip());
                    max = parts.length == 1 ? min : parts[1].isBlank() ? -1 : Integer.parseInt(parts[1].strip());
                } catch (NumberFormatException e) {
                    throw unsupported("the quantifier '" + source.substring(pos, close + 1) + "'");
                }
                if (parts.length > 2 || min > MAX_REPEAT || max > MAX_REPEAT || max >= 0 && max < min) {
                    throw unsupported("the quantifier '" + source.substring(pos, close + 1) + "' (bounds up to "
                            + MAX_REPEAT + ")");
                }
                pos = close;
            }
            default -> {
                return atom;
            }
        }
        pos++;
        if (pos < source.length() && (source.charAt(pos) == '?' || source.charAt(pos) == '+')) {
            throw unsupported("lazy and possessive quantifiers");
        }
        String atomText = source.substring(atomStart, pos);
        int end = pos;
        // Each repeat is a copy of the atom, compiled again from its text; the first copy is the one given.
        boolean[] used = {false};
        java.util.function.Supplier<Frag> copy = () -> {
            if (!used[0]) {
                used[0] = true;
                return atom;
            }
            return recompile(atomStart);
        };
        int in = state();
        int out = in;
        for (int i = 0; i < min; i++) {
            Frag c = copy.get();
            eps(out, c.in);
            out = c.out;
        }
        if (max < 0) {
            Frag more = star(copy.get());
            eps(out, more.in);
            out = more.out;
        } else {
            for (int i = min; i < max; i++) {
                Frag opt = optional(copy.get());
                eps(out, opt.in);
                out = opt.out;
            }
        }
        pos = end;
        return new Frag(in, out);
    }

    /** The atom at {@code from} compiled once more. */
    private Frag recompile(int from) {
        int saved = pos;
        pos = from;
        Frag f = atom();
        pos = saved;
        return f;
    }

    private Frag single(int[] r) {
        int in = state();
        int out = state();
        edge(in, r, out);
        return new Frag(in, out);
    }

    private Frag star(Frag f) {
        int in = state();
        int out = state();
        eps(in, f.in);
        eps(in, out);
        eps(f.out, f.in);
        eps(f.out, out);
        return new Frag(in, out);
    }

    private Frag optional(Frag f) {
        int in = state();
        int out = state();
        eps(in, f.in);
        eps(in, out);
        eps(f.out, out);
        return new Frag(in, out);
    }

    private int[] charClass() {
        boolean negated = pos < source.length() && source.charAt(pos) == '^';
        if (negated) {
            pos++;
        }
        List<int[]> parts = new ArrayList<>();
        boolean first = true;
        while (pos < source.length() && (source.charAt(pos) != ']' || first)) {
            first = false;
            int[] lo;
            char c = source.charAt(pos++);
            if (c == '\\') {
                lo = escape(true);
            } else {
                lo = new int[] {c, c};
            }
            if (lo.length == 2 && lo[0] == lo[1] && pos + 1 < source.length() && source.charAt(pos) == '-'
                    && source.charAt(pos + 1) != ']') {
                pos++;
                char h = source.charAt(pos++);
                int[] hi = h == '\\' ? escape(true) : new int[] {h, h};
                if (hi.length != 2 || hi[0] != hi[1] || hi[0] < lo[0]) {
                    throw unsupported("the class range ending at '" + h + "'");
                }
                parts.add(new int[] {lo[0], hi[0]});
            } else {
                parts.add(lo);
            }
        }
        if (pos >= source.length()) {
            throw unsupported("an unclosed '['");
        }
        pos++;
        int[] union = normalize(parts);
        return negated ? complement(union) : union;
    }

    private int[] escape(boolean inClass) {
        if (pos >= source.length()) {
            throw unsupported("a trailing backslash");
        }
        char c = source.charAt(pos++);
        return switch (c) {
            case 'd' -> DIGITS;
            case 'D' -> complement(DIGITS);
            case 'w' -> WORD;
            case 'W' -> complement(WORD);
            case 's' -> SPACE;
            case 'S' -> complement(SPACE);
            case 'n' -> new int[] {'\n', '\n'};
            case 't' -> new int[] {'\t', '\t'};
            case 'r' -> new int[] {'\r', '\r'};
            case 'b' -> {
                if (inClass) {
                    yield new int[] {'\b', '\b'};
                }
                throw unsupported("word boundaries (\\b)");
            }
            case 'u' -> {
                if (pos + 4 > source.length()) {
                    throw unsupported("a short \\u escape");
                }
                int cp = Integer.parseInt(source.substring(pos, pos + 4), 16);
                pos += 4;
                yield new int[] {cp, cp};
            }
            case 'p', 'P' -> throw unsupported("Unicode property classes (\\p)");
            default -> {
                if (Character.isLetterOrDigit(c)) {
                    throw unsupported("the escape \\" + c);
                }
                yield new int[] {c, c};
            }
        };
    }

    private static int[] normalize(List<int[]> parts) {
        List<int[]> pairs = new ArrayList<>();
        for (int[] p : parts) {
            for (int i = 0; i < p.length; i += 2) {
                pairs.add(new int[] {p[i], p[i + 1]});
            }
        }
        pairs.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] p : pairs) {
            if (!merged.isEmpty() && p[0] <= merged.getLast()[1] + 1) {
                merged.getLast()[1] = Math.max(merged.getLast()[1], p[1]);
            } else {
                merged.add(p.clone());
            }
        }
        int[] out = new int[merged.size() * 2];
        for (int i = 0; i < merged.size(); i++) {
            out[2 * i] = merged.get(i)[0];
            out[2 * i + 1] = merged.get(i)[1];
        }
        return out;
    }

    private static int[] complement(int[] r) {
        List<int[]> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < r.length; i += 2) {
            if (r[i] > next) {
                out.add(new int[] {next, r[i] - 1});
            }
            next = r[i + 1] + 1;
        }
        if (next <= 0x10FFFF) {
            out.add(new int[] {next, 0x10FFFF});
        }
        return normalize(out);
    }

    private IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException("pattern '" + source + "': " + what + " is not supported");
    }
}
