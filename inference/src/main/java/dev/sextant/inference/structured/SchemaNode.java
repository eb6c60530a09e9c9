package dev.sextant.inference.structured;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A JSON Schema compiled to what decoding needs: the shapes a value may take. Nodes compare by identity (a schema
 * may refer to itself through {@code $ref}), and each knows the fewest bytes a value of it can be written in
 * ({@link #minBytes}), which lets decoding close a document before {@code max_tokens} runs out.
 */
public abstract sealed class SchemaNode {

    /** Fewest bytes of a value; {@link Integer#MAX_VALUE} while unknown (during compilation of a cycle). */
    int minBytes = Integer.MAX_VALUE;

    public final int minBytes() {
        return minBytes;
    }

    /** Any JSON value (an object of any keys, arrays of anything), nested at most {@code depth} levels deeper. */
    public static final class AnyValue extends SchemaNode {
        final int depth;
        /** The same, one level down; null at depth 0 (then only scalars). */
        AnyValue inner;
        /** Whether a top-level value must be an object ({@code "type": "json_object"}). */
        final boolean objectOnly;

        AnyValue(int depth, boolean objectOnly) {
            this.depth = depth;
            this.objectOnly = objectOnly;
        }
    }

    /** An object with the declared properties, written in declaration order; optional ones may be left out. */
    public static final class ObjectSchema extends SchemaNode {
        final List<Property> properties;

        ObjectSchema(List<Property> properties) {
            this.properties = List.copyOf(properties);
        }

        /** Fewest bytes after property {@code index} (-1: after the opening brace) up to the closing brace. */
        int minBytesAfter(int index) {
            long total = 1; // the closing brace
            boolean first = index < 0;
            for (int i = index + 1; i < properties.size(); i++) {
                Property p = properties.get(i);
                if (p.required) {
                    total += (first ? 0 : 1) + p.key.length + 1 + (long) p.value.minBytes;
                    first = false;
                }
            }
            return (int) Math.min(Integer.MAX_VALUE, total);
        }

        /** Whether every property after {@code index} may be left out. */
        boolean mayCloseAfter(int index) {
            for (int i = index + 1; i < properties.size(); i++) {
                if (properties.get(i).required) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * @param key the name as a JSON string, quotes included, as it must be written
     */
    record Property(String name, byte[] key, SchemaNode value, boolean required) {
        Property(String name, String keyJson, SchemaNode value, boolean required) {
            this(name, keyJson.getBytes(StandardCharsets.UTF_8), value, required);
        }
    }

    /** An array of {@code items}, with {@code minItems..maxItems} of them ({@code maxItems} -1: no limit). */
    public static final class ArraySchema extends SchemaNode {
        final SchemaNode items;
        final int minItems;
        final int maxItems;

        ArraySchema(SchemaNode items, int minItems, int maxItems) {
            this.items = items;
            this.minItems = minItems;
            this.maxItems = maxItems;
        }
    }

    /**
     * A string of {@code minLength..maxLength} characters (code points; {@code maxLength} -1: no limit), matching
     * {@code pattern} when there is one (a {@code pattern} keyword, or a {@code format} written as one).
     */
    public static final class StringSchema extends SchemaNode {
        final int minLength;
        final int maxLength;
        final StringPattern pattern;

        StringSchema(int minLength, int maxLength, StringPattern pattern) {
            this.minLength = minLength;
            this.maxLength = maxLength;
            this.pattern = pattern;
        }

        /** Whether the characters written so far must be counted. */
        boolean counts() {
            return minLength > 0 || maxLength >= 0;
        }
    }

    /** A JSON number; an integer when {@code integer} (no fraction, no exponent). */
    public static final class NumberSchema extends SchemaNode {
        final boolean integer;

        NumberSchema(boolean integer) {
            this.integer = integer;
        }
    }

    /** One of a few exact texts: {@code true}, {@code null}, an {@code enum}'s or a {@code const}'s values. */
    public static final class Literals extends SchemaNode {
        final List<byte[]> texts;

        Literals(List<byte[]> texts) {
            this.texts = List.copyOf(texts);
        }
    }

    /** Any of several schemas ({@code anyOf}, {@code oneOf} of disjoint shapes, a list of types). */
    public static final class Union extends SchemaNode {
        final List<SchemaNode> options;

        Union(List<SchemaNode> options) {
            this.options = List.copyOf(options);
        }
    }

    /** A {@code $ref}, resolved once every definition is compiled (so a schema can be recursive). */
    public static final class Ref extends SchemaNode {
        final String pointer;
        SchemaNode target;

        Ref(String pointer) {
            this.pointer = pointer;
        }
    }
}
