package dev.sextant.inference.engine;

import dev.sextant.inference.tokenizer.ChatTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns generated token ids into text deltas for streaming. Holds back text that could still become a stop string
 * and an incomplete UTF-8 character (decoded as U+FFFD), so a client never sees text that is later taken back.
 */
final class TextAssembler {

    private final ChatTokenizer tokenizer;
    private final List<String> stops;
    private final int holdBack;
    private long[] ids;
    private int count;
    private String text = "";
    private int emitted;
    private boolean stopped;

    TextAssembler(ChatTokenizer tokenizer, List<String> stops, int expectedTokens) {
        this.tokenizer = tokenizer;
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
        this.holdBack = this.stops.stream().mapToInt(String::length).max().orElse(1) - 1;
        this.ids = new long[Math.max(16, expectedTokens)];
    }

    /** Adds a token and returns the text that may now be shown. */
    String append(long token) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = token;
        String decoded = tokenizer.decode(Arrays.copyOf(ids, count));
        for (String stop : stops) {
            int at = decoded.indexOf(stop);
            if (at >= 0) {
                text = decoded.substring(0, at);
                stopped = true;
                return release(text.length());
            }
        }
        text = decoded;
        // A trailing U+FFFD stands for a character still arriving, which a stop string may end with: hold back the
        // stop string's length before it too.
        return release(text.length() - (text.endsWith("\uFFFD") ? 1 : 0) - holdBack);
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
        return text;
    }

    int tokenCount() {
        return count;
    }
}
