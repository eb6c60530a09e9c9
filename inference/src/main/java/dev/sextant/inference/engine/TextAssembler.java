package dev.sextant.inference.engine;

import dev.sextant.inference.tokenizer.ChatTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns generated token ids into text deltas for streaming. Holds back text that could still become a stop string
 * and an incomplete UTF-8 character (decoded as U+FFFD), so a client never sees text that is later taken back.
 *
 * <p>The text always equals decoding all ids so far (cut at a stop string), but with a byte-level decoder only the
 * ids since the last whole character are decoded again for each token (the prefix before them cannot change), so a
 * token costs about the same at position 2000 as at position 2; other decoders decode all ids every time.
 */
final class TextAssembler {

    private final ChatTokenizer tokenizer;
    private final List<String> stops;
    private final int holdBack;
    private final boolean incremental;
    private long[] ids;
    private int count;
    /** Decoded text of all ids: the settled part (ids before {@link #tailStart}) followed by the tail's decoding. */
    private final StringBuilder text = new StringBuilder();
    private int tailStart;
    private int settledLength;
    private int emitted;
    private boolean stopped;

    TextAssembler(ChatTokenizer tokenizer, List<String> stops, int expectedTokens) {
        this.tokenizer = tokenizer;
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
        this.holdBack = this.stops.stream().mapToInt(String::length).max().orElse(1) - 1;
        this.incremental = tokenizer.byteLevelDecoder();
        this.ids = new long[Math.max(16, expectedTokens)];
    }

    /** Adds a token and returns the text that may now be shown. */
    String append(long token) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = token;
        text.setLength(settledLength);
        text.append(tokenizer.decode(Arrays.copyOfRange(ids, tailStart, count)));
        for (String stop : stops) {
            // The settled text was there at the previous token and held no stop string: a new one ends after it.
            int at = text.indexOf(stop, Math.max(0, settledLength - stop.length() + 1));
            if (at >= 0) {
                text.setLength(at);
                stopped = true;
                return release(text.length());
            }
        }
        boolean partialCharacter = !text.isEmpty() && text.charAt(text.length() - 1) == '\uFFFD';
        if (incremental && !partialCharacter) {
            tailStart = count;
            settledLength = text.length();
        }
        // A trailing U+FFFD stands for a character still arriving, which a stop string may end with: hold back the
        // stop string's length before it too.
        return release(text.length() - (partialCharacter ? 1 : 0) - holdBack);
    }

    /** Whatever was held back, once generation has ended. */
    String finish() {
        return release(text.length());
    }

    private String release(int upTo) {
        if (upTo <= emitted) {
            return "";
        }
        String delta = text.substring(emitted, upTo);
        emitted = upTo;
        return delta;
    }

    boolean stopped() {
        return stopped;
    }

    String text() {
        return text.toString();
    }

    int tokenCount() {
        return count;
    }
}
