package dev.sextant.openai.embeddings;

import dev.sextant.openai.WireFormatException;

/** How {@code /v1/embeddings} sends vectors: {@code float} (JSON number arrays, the default) or {@code base64}. */
public enum EncodingFormat {
    FLOAT("float"),
    /** Little-endian float32 values, base64-encoded: about half the bytes of decimal text, no number parsing. */
    BASE64("base64");

    private final String wireName;

    EncodingFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws WireFormatException naming {@code encoding_format} for any other value */
    public static EncodingFormat fromWire(String value) {
        for (EncodingFormat f : values()) {
            if (f.wireName.equals(value)) {
                return f;
            }
        }
        throw WireFormatException.malformed("encoding_format", "'encoding_format' must be float or base64, got '"
                + value + "'");
    }
}
