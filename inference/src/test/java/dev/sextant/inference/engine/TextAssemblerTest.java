package dev.sextant.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.inference.TinyModel;
import dev.sextant.inference.model.DecoderConfig;
import dev.sextant.inference.smollm2.PreparedModels;
import dev.sextant.inference.tokenizer.ChatTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Streaming never shows text that is later taken back, and the incremental assembler (decoding only the ids since
 * the last whole character) gives exactly what decoding all ids every token gives: the same deltas, stop, text and
 * token count, on random id sequences full of split multi-byte characters, invalid bytes and special tokens, with
 * stop strings that do and do not occur (including half of a surrogate pair).
 */
class TextAssemblerTest {

    private static final String[] PIECES = {"heap", " queue", " the", "é", "ß", "日本語", "🙂", "👍🏽", "\n", " 42",
        "?!", "Ω≈ç", " naïve", "<|im_end|>", "\uFFFD", "  "};

    @Test
    void aStopStringEndingInACharacterStillArrivingIsNeverStreamed() {
        try (ChatTokenizer tokenizer = ChatTokenizer.load(TinyModel.dir())) {
            long[] euro = tokenizer.encode("€");
            assertThat(euro.length).as("the tiny vocabulary spells € in bytes").isGreaterThan(1);
            TextAssembler text = new TextAssembler(tokenizer, List.of("p€"), 8);
            StringBuilder streamed = new StringBuilder();
            LongStream.concat(LongStream.of(tokenizer.encode("hep")), LongStream.of(euro))
                    .forEach(id -> streamed.append(text.append(id)));
            streamed.append(text.finish());
            assertThat(text.stopped()).isTrue();
            assertThat(text.text()).isEqualTo("he");
            assertThat(streamed.toString()).as("the p was held back, not streamed and then taken back").isEqualTo("he");
        }
    }

    @Test
    void tinyTokenizerIncrementalEqualsFullDecoding() {
        compareOn(TinyModel.dir());
    }

    @Test
    void smolLm2TokenizerIncrementalEqualsFullDecoding() {
        compareOn(PreparedModels.require("int8"));
    }

    private static void compareOn(Path modelDir) {
        int vocab = DecoderConfig.readGenaiConfig(modelDir.resolve("genai_config.json")).vocabSize();
        try (ChatTokenizer tokenizer = ChatTokenizer.load(modelDir)) {
            assertThat(tokenizer.byteLevelDecoder()).as("the incremental path is what is tested").isTrue();
            int stoppedCases = 0;
            int heldBackCharacters = 0;
            for (int seed = 0; seed < 400; seed++) {
                SplittableRandom random = new SplittableRandom(seed);
                long[] ids = ids(tokenizer, random, vocab);
                List<String> stops = stops(tokenizer.decode(ids), random);
                var outcome = compare(tokenizer, ids, stops, "seed " + seed + " ids " + Arrays.toString(ids)
                        + " stops " + escaped(stops.toString()));
                stoppedCases += outcome.stopped() ? 1 : 0;
                heldBackCharacters += outcome.heldBack();
            }
            assertThat(stoppedCases).as("cases that hit a stop string").isGreaterThan(100);
            assertThat(heldBackCharacters).as("tokens that ended inside a character").isGreaterThan(100);
        }
    }

    record Outcome(boolean stopped, int heldBack) {
    }

    /** Non-ASCII as \\uXXXX, so a failure message survives the test report. */
    private static String escaped(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : String.format("\\u%04x", c)));
        return out.toString();
    }

    private static Outcome compare(ChatTokenizer tokenizer, long[] ids, List<String> stops, String description) {
        TextAssembler incremental = new TextAssembler(tokenizer, stops, 4);
        FullDecodingAssembler full = new FullDecodingAssembler(tokenizer, stops);
        StringBuilder streamed = new StringBuilder();
        int heldBack = 0;
        for (long id : ids) {
            String delta = incremental.append(id);
            String expected = full.append(id);
            assertThat(escaped(delta)).as(description).isEqualTo(escaped(expected));
            assertThat(incremental.stopped()).as(description).isEqualTo(full.stopped);
            streamed.append(delta);
            heldBack += full.text.endsWith("\uFFFD") ? 1 : 0;
            if (full.stopped) {
                break;
            }
        }
        String rest = incremental.finish();
        assertThat(rest).as(description).isEqualTo(full.finish());
        streamed.append(rest);
        assertThat(incremental.text()).as(description).isEqualTo(full.text).isEqualTo(streamed.toString());
        assertThat(incremental.tokenCount()).as(description).isEqualTo(full.count);
        return new Outcome(full.stopped, heldBack);
    }

    /** Encoded text with multi-byte characters, random ids, or both mixed. */
    private static long[] ids(ChatTokenizer tokenizer, SplittableRandom random, int vocab) {
        List<Long> out = new ArrayList<>();
        int kind = random.nextInt(3);
        while (out.size() < 10 + random.nextInt(70)) {
            if (kind == 1 || (kind == 2 && random.nextInt(4) == 0)) {
                out.add((long) random.nextInt(vocab));
            } else {
                for (long id : tokenizer.encode(PIECES[random.nextInt(PIECES.length)])) {
                    out.add(id);
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** None, pieces of the decoded text (they occur), or pieces of the vocabulary above (they may not). */
    private static List<String> stops(String decoded, SplittableRandom random) {
        List<String> stops = new ArrayList<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            if (random.nextBoolean() && decoded.length() > 4) {
                int from = random.nextInt(decoded.length() - 1);
                stops.add(decoded.substring(from, Math.min(decoded.length(), from + 1 + random.nextInt(4))));
            } else {
                stops.add(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        return stops;
    }

    /** The assembler's rules on the whole text, decoding every id again for each token. */
    private static final class FullDecodingAssembler {
        private final ChatTokenizer tokenizer;
        private final List<String> stops;
        private final int holdBack;
        private long[] ids = new long[0];
        int count;
        String text = "";
        private int emitted;
        boolean stopped;

        FullDecodingAssembler(ChatTokenizer tokenizer, List<String> stops) {
            this.tokenizer = tokenizer;
            this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
            this.holdBack = this.stops.stream().mapToInt(String::length).max().orElse(1) - 1;
        }

        String append(long token) {
            ids = Arrays.copyOf(ids, count + 1);
            ids[count++] = token;
            String decoded = tokenizer.decode(ids);
            for (String stop : stops) {
                int at = decoded.indexOf(stop);
                if (at >= 0) {
                    text = decoded.substring(0, at);
                    stopped = true;
                    return release(text.length());
                }
            }
            text = decoded;
            return release(text.length() - (text.endsWith("\uFFFD") ? 1 : 0) - holdBack);
        }

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
    }
}
