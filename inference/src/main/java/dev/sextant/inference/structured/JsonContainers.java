package dev.sextant.inference.structured;

import static dev.sextant.inference.structured.JsonState.start;
import static dev.sextant.inference.structured.JsonState.skipWhitespace;

import dev.sextant.inference.structured.JsonState.Frame;
import dev.sextant.inference.structured.JsonState.Stack;
import dev.sextant.inference.structured.JsonState.Value;
import dev.sextant.inference.structured.SchemaNode.AnyValue;
import dev.sextant.inference.structured.SchemaNode.ArraySchema;
import dev.sextant.inference.structured.SchemaNode.ObjectSchema;
import dev.sextant.inference.structured.SchemaNode.Property;
import java.util.Set;

/**
 * The parser frames of objects and arrays. A container frame replaces itself with its "after this value" phase
 * before it pushes the value, so its {@link Frame#minBytes} counts only what comes after the value.
 */
final class JsonContainers {

    /** After the opening bracket. */
    static final int OPEN = 0;
    /** After an object key, before its colon. */
    static final int COLON = 1;
    /** After a value, before a comma or the closing bracket. */
    static final int COMMA = 2;
    /** After a comma. */
    static final int NEXT = 3;

    private JsonContainers() {
    }

    private static long sat(long v) {
        return Math.min(Integer.MAX_VALUE, v);
    }

    /**
     * An object of declared properties; {@code prop} is the last property whose key was written (-1: none yet).
     * Keys come in declaration order, optional ones may be skipped, required ones may not.
     */
    record Obj(ObjectSchema node, int phase, int prop, int ws) implements Frame {
        @Override
        public void step(int b, Stack rest, Set<Stack> out) {
            if (skipWhitespace(b, ws, w -> new Obj(node, phase, prop, w), rest, out)) {
                return;
            }
            switch (phase) {
                case OPEN -> {
                    if (b == '}' && node.mayCloseAfter(-1)) {
                        out.add(rest);
                    } else if (b == '"') {
                        keys(-1, rest, out);
                    }
                }
                case COLON -> {
                    if (b == ':') {
                        out.add(new Stack(new Value(node.properties.get(prop).value(), 0),
                                new Stack(new Obj(node, COMMA, prop, 0), rest)));
                    }
                }
                case COMMA -> {
                    if (b == ',' && prop + 1 < node.properties.size()) {
                        out.add(new Stack(new Obj(node, NEXT, prop, 0), rest));
                    } else if (b == '}' && node.mayCloseAfter(prop)) {
                        out.add(rest);
                    }
                }
                default -> {
                    if (b == '"') {
                        keys(prop, rest, out);
                    }
                }
            }
        }

        /** The keys that may come after property {@code after}, their opening quote written. */
        private void keys(int after, Stack rest, Set<Stack> out) {
            for (int j = after + 1; j < node.properties.size(); j++) {
                out.add(new Stack(new Key(node, j, 1), rest));
                if (node.properties.get(j).required()) {
                    break;
                }
            }
        }

        @Override
        public int minBytes() {
            return switch (phase) {
                case OPEN -> node.minBytesAfter(-1);
                case COLON -> (int) sat(1L + node.properties.get(prop).value().minBytes + node.minBytesAfter(prop));
                case COMMA -> node.minBytesAfter(prop);
                default -> {
                    long best = Long.MAX_VALUE;
                    for (int j = prop + 1; j < node.properties.size(); j++) {
                        best = Math.min(best, Key.remaining(node, j, 0));
                        if (node.properties.get(j).required()) {
                            break;
                        }
                    }
                    yield (int) sat(best);
                }
            };
        }
    }

    /** Inside the key of property {@code prop}, {@code pos} bytes of it (its quotes included) written. */
    record Key(ObjectSchema node, int prop, int pos) implements Frame {
        @Override
        public void step(int b, Stack rest, Set<Stack> out) {
            byte[] key = node.properties.get(prop).key();
            if ((key[pos] & 0xFF) == b) {
                out.add(new Stack(pos + 1 == key.length ? new Obj(node, COLON, prop, 0) : new Key(node, prop,
                        pos + 1), rest));
            }
        }

        static long remaining(ObjectSchema node, int prop, int pos) {
            Property p = node.properties.get(prop);
            return p.key().length - pos + 1L + p.value().minBytes + node.minBytesAfter(prop);
        }

        @Override
        public int minBytes() {
            return (int) sat(remaining(node, prop, pos));
        }
    }

    /** An object of any keys, its values any value one level down. */
    record AnyObj(AnyValue values, int phase, int ws) implements Frame {
        @Override
        public void step(int b, Stack rest, Set<Stack> out) {
            if (skipWhitespace(b, ws, w -> new AnyObj(values, phase, w), rest, out)) {
                return;
            }
            boolean keyStart = b == '"' && (phase == OPEN || phase == NEXT);
            if (keyStart) {
                out.add(new Stack(JsonString.start(null), new Stack(new AnyObj(values, COLON, 0), rest)));
            } else if (b == '}' && (phase == OPEN || phase == COMMA)) {
                out.add(rest);
            } else if (b == ':' && phase == COLON) {
                out.add(new Stack(new Value(values, 0), new Stack(new AnyObj(values, COMMA, 0), rest)));
            } else if (b == ',' && phase == COMMA) {
                out.add(new Stack(new AnyObj(values, NEXT, 0), rest));
            }
        }

        @Override
        public int minBytes() {
            return switch (phase) {
                case OPEN, COMMA -> 1;
                case COLON -> 2 + values.minBytes;
                default -> 5 + values.minBytes;
            };
        }
    }

    /** An array of a schema's items, {@code count} of them written (capped where more no longer matters). */
    record Arr(ArraySchema node, int phase, int count, int ws) implements Frame {
        @Override
        public void step(int b, Stack rest, Set<Stack> out) {
            if (skipWhitespace(b, ws, w -> new Arr(node, phase, count, w), rest, out)) {
                return;
            }
            switch (phase) {
                case OPEN -> {
                    if (b == ']') {
                        if (node.minItems == 0) {
                            out.add(rest);
                        }
                    } else if (node.maxItems != 0) {
                        start(node.items, b, new Stack(new Arr(node, COMMA, capped(1), 0), rest), out);
                    }
                }
                case COMMA -> {
                    if (b == ',' && (node.maxItems < 0 || count < node.maxItems)) {
                        out.add(new Stack(new Arr(node, NEXT, count, 0), rest));
                    } else if (b == ']' && count >= node.minItems) {
                        out.add(rest);
                    }
                }
                default -> start(node.items, b, new Stack(new Arr(node, COMMA, capped(count + 1), 0), rest), out);
            }
        }

        private int capped(int c) {
            return node.maxItems >= 0 ? c : Math.min(c, node.minItems);
        }

        @Override
        public int minBytes() {
            long item = node.items.minBytes;
            return (int) sat(switch (phase) {
                case OPEN -> node.minItems == 0 ? 1 : node.minItems * item + node.minItems;
                case COMMA -> Math.max(0, node.minItems - count) * (1 + item) + 1;
                default -> item + Math.max(0, node.minItems - count - 1) * (1 + item) + 1;
            });
        }
    }

    /** An array of any values one level down. */
    record AnyArr(AnyValue items, int phase, int ws) implements Frame {
        @Override
        public void step(int b, Stack rest, Set<Stack> out) {
            if (skipWhitespace(b, ws, w -> new AnyArr(items, phase, w), rest, out)) {
                return;
            }
            if (b == ']' && (phase == OPEN || phase == COMMA)) {
                out.add(rest);
            } else if (b == ',' && phase == COMMA) {
                out.add(new Stack(new AnyArr(items, NEXT, 0), rest));
            } else if (phase == OPEN || phase == NEXT) {
                start(items, b, new Stack(new AnyArr(items, COMMA, 0), rest), out);
            }
        }

        @Override
        public int minBytes() {
            return phase == NEXT ? items.minBytes + 1 : 1;
        }
    }
}
