package dev.sextant.inference.template.jinja;

import static dev.sextant.inference.template.jinja.PythonStrings.zeroPad;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Python's {@code json.dumps}, which transformers' {@code tojson} filter calls. */
final class PythonJson {

    private PythonJson() {
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
            case Object[] array -> sequence(out, Arrays.asList(array).iterator(), array.length == 0,
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
                    + zeroPad(Math.abs(exponent), 2);
        }
        String plain = exact.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
