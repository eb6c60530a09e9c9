package dev.sextant.inference.structured;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The bytes each token id stands for, read from a Hugging Face {@code tokenizer.json}: byte-level BPE (GPT-2,
 * SmolLM2, Qwen2.5, Llama 3: each vocabulary character stands for one byte) or SentencePiece-style vocabularies
 * ({@code ▁} for a space, {@code <0xNN>} byte-fallback tokens). Special tokens stand for no bytes (null): constrained
 * decoding never picks them, except end-of-sequence where a document may end.
 */
public final class TokenVocabulary {

    private final byte[][] bytes;

    private TokenVocabulary(byte[][] bytes) {
        this.bytes = bytes;
    }

    public static TokenVocabulary load(Path tokenizerJson) {
        try {
            return of(new ObjectMapper().readTree(tokenizerJson.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(tokenizerJson + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    static TokenVocabulary of(JsonNode tokenizer) {
        JsonNode vocab = tokenizer.path("model").path("vocab");
        if (!vocab.isObject()) {
            throw new IllegalArgumentException("tokenizer.json: no model.vocab object (only BPE-style "
                    + "vocabularies are supported for constrained decoding)");
        }
        boolean byteLevel = isByteLevel(tokenizer.path("decoder"));
        int size = 0;
        for (JsonNode id : vocab) {
            size = Math.max(size, id.asInt() + 1);
        }
        for (JsonNode added : tokenizer.path("added_tokens")) {
            size = Math.max(size, added.path("id").asInt() + 1);
        }
        byte[][] bytes = new byte[size][];
        int[] byteOf = byteLevel ? unicodeToByte() : null;
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            bytes[e.getValue().asInt()] = byteLevel ? byteLevelBytes(e.getKey(), byteOf) : pieceBytes(e.getKey());
        }
        for (JsonNode added : tokenizer.path("added_tokens")) {
            int id = added.path("id").asInt();
            bytes[id] = added.path("special").asBoolean(false) ? null
                    : added.path("content").asText().getBytes(StandardCharsets.UTF_8);
        }
        return new TokenVocabulary(bytes);
    }

    private static boolean isByteLevel(JsonNode decoder) {
        if ("ByteLevel".equals(decoder.path("type").asText())) {
            return true;
        }
        for (JsonNode d : decoder.path("decoders")) {
            if ("ByteLevel".equals(d.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Token ids the vocabulary knows (some models' logits are wider: the ids past it stand for nothing). */
    public int size() {
        return bytes.length;
    }

    /** The bytes of {@code id}; null for a special token or an id the vocabulary lacks. */
    public byte[] bytes(int id) {
        return id >= 0 && id < bytes.length ? bytes[id] : null;
    }

    /**
     * GPT-2's byte-to-character table inverted: printable Latin-1 bytes stand for themselves, the other 68 bytes
     * for U+0100 onwards in byte order.
     */
    private static int[] unicodeToByte() {
        int[] byteOf = new int[512];
        java.util.Arrays.fill(byteOf, -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE;
            int ch = printable ? b : 256 + next++;
            byteOf[ch] = b;
        }
        return byteOf;
    }

    private static byte[] byteLevelBytes(String token, int[] byteOf) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < byteOf.length ? byteOf[c] : -1;
            if (b < 0) {
                // Not a byte-level character: a token no text decodes to; keep its UTF-8 so it is never a byte.
                return token.getBytes(StandardCharsets.UTF_8);
            }
            out[i] = (byte) b;
        }
        return out;
    }

    private static byte[] pieceBytes(String piece) {
        if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
            try {
                return new byte[] {(byte) Integer.parseInt(piece.substring(3, 5), 16)};
            } catch (NumberFormatException e) {
                // an ordinary piece that looks like one
            }
        }
        return piece.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
    }
}
