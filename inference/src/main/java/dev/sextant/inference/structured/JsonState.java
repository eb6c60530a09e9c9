package dev.sextant.inference.structured;

import dev.sextant.inference.structured.SchemaNode.AnyValue;
import dev.sextant.inference.structured.SchemaNode.ArraySchema;
import dev.sextant.inference.structured.SchemaNode.Literals;
import dev.sextant.inference.structured.SchemaNode.NumberSchema;
import dev.sextant.inference.structured.SchemaNode.ObjectSchema;
import dev.sextant.inference.structured.SchemaNode.Ref;
import dev.sextant.inference.structured.SchemaNode.StringSchema;
import dev.sextant.inference.structured.SchemaNode.Union;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Where a partial JSON document stands under a schema: the set of parser stacks its bytes so far can be on (a
 * pushdown automaton run on every alternative at once, since an {@code anyOf}, an optional property or the end of a
 * number leaves more than one). Immutable; {@link #advance} gives the state after one more byte, or null when no
 * document of the schema continues so. Equal states are interchangeable, which is what lets token masks be cached.
 *
 * <p>Decoding byte by byte keeps tokens that split a UTF-8 character (byte-level BPE has them) exact. Whitespace is
 * allowed between tokens of the document, at most {@link #MAX_WHITESPACE} bytes in one place, so that a model cannot
 * spend its budget on blank lines.
 */
public final class JsonState {

    public static final int MAX_WHITESPACE = 16;
    static final int MAX_INTEGER_DIGITS = 16;
    static final int MAX_FRACTION_DIGITS = 16;
    static final int MAX_EXPONENT_DIGITS = 3;

    private final Set<Stack> stacks;
    private final int hash;

    private JsonState(Set<Stack> stacks) {
        this.stacks = stacks;
        this.hash = stacks.hashCode();
    }

    /** Nothing written yet: a value of {@code root} is expected (whitespace first allowed). */
    public static JsonState start(SchemaNode root) {
        return new JsonState(Set.of(new Stack(new Value(root, 0), Stack.EMPTY)));
    }

    /** The state after byte {@code b} (0..255), or null when the schema admits no document continuing so. */
    public JsonState advance(int b) {
        Set<Stack> out = new HashSet<>(4);
        for (Stack s : stacks) {
            feed(s, b, out);
        }
        return out.isEmpty() ? null : new JsonState(out);
    }

    /** The state after {@code bytes}, or null at the first byte no document continues with. */
    public JsonState advance(byte[] bytes) {
        JsonState state = this;
        for (int i = 0; i < bytes.length && state != null; i++) {
            state = state.advance(bytes[i] & 0xFF);
        }
        return state;
    }

    /** Whether the bytes so far are a whole document of the schema. */
    public boolean complete() {
        for (Stack s : stacks) {
            if (s == Stack.EMPTY || s.rest == Stack.EMPTY && s.top instanceof Num n && n.accepting()) {
                return true;
            }
        }
        return false;
    }

    /** Whether no byte may follow: the document is complete on every path. */
    public boolean finished() {
        for (Stack s : stacks) {
            if (s != Stack.EMPTY) {
                return false;
            }
        }
        return true;
    }

    /** Fewest bytes that complete the document from here. */
    public int minBytes() {
        long best = Long.MAX_VALUE;
        for (Stack s : stacks) {
            long total = 0;
            for (Stack t = s; t != Stack.EMPTY; t = t.rest) {
                total += t.top.minBytes();
            }
            best = Math.min(best, total);
        }
        return (int) Math.min(Integer.MAX_VALUE, best);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonState other && hash == other.hash && stacks.equals(other.stacks);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** An immutable parser stack, hashed once. */
    static final class Stack {
        static final Stack EMPTY = new Stack();
        final Frame top;
        final Stack rest;
        private final int hash;

        private Stack() {
            this.top = null;
            this.rest = null;
            this.hash = 0;
        }

        Stack(Frame top, Stack rest) {
            this.top = top;
            this.rest = rest;
            this.hash = 31 * rest.hash + top.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Stack other) || hash != other.hash || this == EMPTY || other == EMPTY) {
                return false;
            }
            return top.equals(other.top) && rest.equals(other.rest);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    static void feed(Stack s, int b, Set<Stack> out) {
        if (s != Stack.EMPTY) {
            s.top.step(b, s.rest, out);
        }
    }

    static boolean whitespace(int b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r';
    }

    /**
     * Takes {@code b} when it is whitespace: the frame again with one byte more of it ({@code more} builds it from
     * the new count), up to {@link #MAX_WHITESPACE} in a row. Returns whether {@code b} was whitespace, i.e. the
     * caller is done with it.
     */
    static boolean skipWhitespace(int b, int ws, IntFunction<Frame> more, Stack rest, Set<Stack> out) {
        if (!whitespace(b)) {
            return false;
        }
        if (ws < MAX_WHITESPACE) {
            out.add(new Stack(more.apply(ws + 1), rest));
        }
        return true;
    }

    static boolean digit(int b) {
        return b >= '0' && b <= '9';
    }

    /** A value of {@code node} starting with byte {@code b}; when it completes, {@code parent} goes on. */
    static void start(SchemaNode node, int b, Stack parent, Set<Stack> out) {
        switch (node) {
            case Ref r -> start(r.target, b, parent, out);
            case Union u -> u.options.forEach(o -> start(o, b, parent, out));
            case ObjectSchema o -> {
                if (b == '{') {
                    out.add(new Stack(new JsonContainers.Obj(o, JsonContainers.OPEN, -1, 0), parent));
                }
            }
            case ArraySchema a -> {
                if (b == '[') {
                    out.add(new Stack(new JsonContainers.Arr(a, JsonContainers.OPEN, 0, 0), parent));
                }
            }
            case StringSchema s -> {
                if (b == '"') {
                    out.add(new Stack(JsonString.start(s), parent));
                }
            }
            case NumberSchema n -> startNumber(n.integer, b, parent, out);
            case Literals l -> {
                for (int i = 0; i < l.texts.size(); i++) {
                    byte[] text = l.texts.get(i);
                    if ((text[0] & 0xFF) == b) {
                        out.add(text.length == 1 ? parent : new Stack(new Lit(l, i, 1), parent));
                    }
                }
            }
            case AnyValue a -> startAny(a, b, parent, out);
        }
    }

    private static final Literals KEYWORDS = new Literals(List.of("true".getBytes(StandardCharsets.US_ASCII),
            "false".getBytes(StandardCharsets.US_ASCII), "null".getBytes(StandardCharsets.US_ASCII)));

    private static void startAny(AnyValue a, int b, Stack parent, Set<Stack> out) {
        if (b == '{' && a.inner != null) {
            out.add(new Stack(new JsonContainers.AnyObj(a.inner, JsonContainers.OPEN, 0), parent));
        }
        if (a.objectOnly) {
            return;
        }
        if (b == '[' && a.inner != null) {
            out.add(new Stack(new JsonContainers.AnyArr(a.inner, JsonContainers.OPEN, 0), parent));
        } else if (b == '"') {
            out.add(new Stack(JsonString.start(null), parent));
        } else if (b == '-' || digit(b)) {
            startNumber(false, b, parent, out);
        } else {
            start(KEYWORDS, b, parent, out);
        }
    }

    private static void startNumber(boolean integer, int b, Stack parent, Set<Stack> out) {
        if (b == '-') {
            out.add(new Stack(new Num(integer, Num.SIGN, 0), parent));
        } else if (b == '0') {
            out.add(new Stack(new Num(integer, Num.ZERO, 1), parent));
        } else if (digit(b)) {
            out.add(new Stack(new Num(integer, Num.INT, 1), parent));
        }
    }

    /** One level of the parser: what it accepts next and what it still needs. */
    interface Frame {
        /** Consumes {@code b} with {@code rest} below this frame, adding each resulting stack to {@code out}. */
        void step(int b, Stack rest, Set<Stack> out);

        /** Fewest bytes this frame still needs once the frames above it are done. */
        int minBytes();
    }

    /** A value of {@code node} expected, after {@code ws} bytes of whitespace. */
    record Value(SchemaNode node, int ws) implements Frame {
        @Override
        public void step(int b, Stack rest, Set<Stack> out) {
            if (!skipWhitespace(b, ws, w -> new Value(node, w), rest, out)) {
                start(node, b, rest, out);
            }
        }

        @Override
        public int minBytes() {
            return node.minBytes;
        }
    }

    /** Inside one of a few exact texts, {@code pos} bytes of text {@code index} written. */
    record Lit(Literals node, int index, int pos) implements Frame {
        @Override
        public void step(int b, Stack rest, Set<Stack> out) {
            byte[] text = node.texts.get(index);
            if ((text[pos] & 0xFF) == b) {
                out.add(pos + 1 == text.length ? rest : new Stack(new Lit(node, index, pos + 1), rest));
            }
        }

        @Override
        public int minBytes() {
            return node.texts.get(index).length - pos;
        }
    }

    /** A number being written; {@code digits} counts the digits of the current part. */
    record Num(boolean integer, int phase, int digits) implements Frame {
        static final int SIGN = 0;
        static final int ZERO = 1;
        static final int INT = 2;
        static final int DOT = 3;
        static final int FRACTION = 4;
        static final int E = 5;
        static final int EXPONENT_SIGN = 6;
        static final int EXPONENT = 7;

        boolean accepting() {
            return phase == ZERO || phase == INT || phase == FRACTION || phase == EXPONENT;
        }

        @Override
        public void step(int b, Stack rest, Set<Stack> out) {
            boolean d = digit(b);
            switch (phase) {
                case SIGN -> {
                    if (b == '0') {
                        out.add(new Stack(new Num(integer, ZERO, 1), rest));
                    } else if (d) {
                        out.add(new Stack(new Num(integer, INT, 1), rest));
                    }
                    return;
                }
                case DOT -> {
                    if (d) {
                        out.add(new Stack(new Num(integer, FRACTION, 1), rest));
                    }
                    return;
                }
                case E, EXPONENT_SIGN -> {
                    if (d) {
                        out.add(new Stack(new Num(integer, EXPONENT, 1), rest));
                    } else if (phase == E && (b == '+' || b == '-')) {
                        out.add(new Stack(new Num(integer, EXPONENT_SIGN, 0), rest));
                    }
                    return;
                }
                default -> {
                }
            }
            // An accepting phase: more of the number, or its end (the byte then belongs to what follows).
            if (d && phase == INT && digits < MAX_INTEGER_DIGITS) {
                out.add(new Stack(new Num(integer, INT, digits + 1), rest));
            } else if (d && phase == FRACTION && digits < MAX_FRACTION_DIGITS) {
                out.add(new Stack(new Num(integer, FRACTION, digits + 1), rest));
            } else if (d && phase == EXPONENT && digits < MAX_EXPONENT_DIGITS) {
                out.add(new Stack(new Num(integer, EXPONENT, digits + 1), rest));
            } else if (b == '.' && !integer && (phase == ZERO || phase == INT)) {
                out.add(new Stack(new Num(integer, DOT, 0), rest));
            } else if ((b == 'e' || b == 'E') && !integer && phase != EXPONENT) {
                out.add(new Stack(new Num(integer, E, 0), rest));
            } else if (!d) {
                feed(rest, b, out);
            }
        }

        @Override
        public int minBytes() {
            return accepting() ? 0 : 1;
        }
    }
}
