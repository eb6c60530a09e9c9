package dev.sextant.router.answer;

import dev.sextant.inference.api.TokenStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an answer's citation markers against the passages it was given, as the text streams: {@code [n]} and
 * {@code [n, m]} markers keep the numbers of passages that exist, markers pointing at none are removed (with the
 * space before them), and the cited numbers are recorded. A {@code [} that may still become a marker is held back
 * until it closes or clearly is not one, so a client never sees a marker that is later taken back. Brackets right
 * after a letter, digit or closing bracket that is not a marker ({@code arr[0]}, {@code x[1][2]}) are code, not
 * citations, and pass untouched.
 *
 * <p>Decorates the consumer's {@link TokenStream}; {@link #finish} releases what is held back at the end.
 */
public final class CitationMarkers implements TokenStream {

    /** A marker is at most this long ({@code [12, 13, 14]}); a longer bracket is text. */
    private static final int MAX_MARKER = 16;
    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3}(?:\\s*,\\s*\\d{1,3})*)]");
    private static final Pattern MARKER_PREFIX = Pattern.compile("\\[(\\d{1,3}(?:\\s*,\\s*(?:\\d{1,3})?)*)?");

    private final int passages;
    private final boolean checking;
    private final TokenStream consumer;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder held = new StringBuilder();
    private final Set<Integer> cited = new LinkedHashSet<>();
    /** Whether the last text released ends where a citation marker may follow (not inside a word or an index). */
    private boolean markerMayFollow = true;
    /** Whether the last thing released was a marker, so another may follow right after it: {@code [1][2]}. */
    private boolean afterMarker;
    /** A space ending the text released so far, sent with what follows it: a marker after it may be removed. */
    private boolean spaceHeld;

    /**
     * @param passages how many passages the prompt numbered, {@code [1]} to {@code [passages]}
     * @param consumer receives the checked text
     */
    public CitationMarkers(int passages, TokenStream consumer) {
        if (passages < 0) {
            throw new IllegalArgumentException("passages must be >= 0, got " + passages);
        }
        this.passages = passages;
        this.checking = true;
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    private CitationMarkers(TokenStream consumer) {
        this.passages = 0;
        this.checking = false;
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    /**
     * Passes the text through as it is, citing nothing: for structured (JSON) answers, where a bracket is the
     * document's own ({@code [1]} is an array) and removing one would break it.
     */
    public static CitationMarkers unchecked(TokenStream consumer) {
        return new CitationMarkers(consumer);
    }

    @Override
    public void onText(String delta) {
        if (!checking) {
            text.append(delta);
            consumer.onText(delta);
            return;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < delta.length(); i++) {
            char c = delta.charAt(i);
            if (held.isEmpty()) {
                if (c == '[' && (markerMayFollow || afterMarker)) {
                    held.append(c);
                } else {
                    emitChar(out, c);
                }
                continue;
            }
            held.append(c);
            if (c == ']') {
                resolve(out);
            } else if (held.length() > MAX_MARKER || !MARKER_PREFIX.matcher(held).matches()) {
                releaseHeldAsText(out);
            }
        }
        send(out);
    }

    /** Releases what is held back: the answer ended inside something that never became a marker. */
    public void finish() {
        if (!checking) {
            return;
        }
        StringBuilder out = new StringBuilder();
        releaseHeldAsText(out);
        if (spaceHeld) {
            out.append(' ');
            spaceHeld = false;
        }
        send(out, true);
    }

    @Override
    public boolean isCancelled() {
        return consumer.isCancelled();
    }

    @Override
    public void onLogprobs(List<dev.sextant.inference.api.TokenLogprob> logprobs) {
        consumer.onLogprobs(logprobs);
    }

    /** The checked answer as sent so far. */
    public String text() {
        return text.toString();
    }

    /** The passage numbers cited, in order of first citation. */
    public List<Integer> cited() {
        return new ArrayList<>(cited);
    }

    /**
     * Orders the citations as the answer used them: cited passages first (in order of first citation), then the
     * rest as context only ({@link Citation#cited()} false).
     */
    public List<Citation> order(List<Citation> given) {
        List<Citation> out = new ArrayList<>();
        for (int n : cited) {
            given.stream().filter(c -> c.index() == n).findFirst().ifPresent(c -> out.add(c.withCited(true)));
        }
        given.stream().filter(c -> !cited.contains(c.index())).forEach(c -> out.add(c.withCited(false)));
        return out;
    }

    private void resolve(StringBuilder out) {
        Matcher m = MARKER.matcher(held);
        if (!m.matches()) {
            releaseHeldAsText(out);
            return;
        }
        List<String> valid = new ArrayList<>();
        for (String number : m.group(1).split(",")) {
            int n = Integer.parseInt(number.strip());
            if (n >= 1 && n <= passages) {
                valid.add(Integer.toString(n));
                cited.add(n);
            }
        }
        held.setLength(0);
        if (valid.isEmpty()) {
            // "as shown [7]." reads "as shown." without it: the space before goes too.
            if (spaceHeld) {
                spaceHeld = false;
            } else if (!out.isEmpty() && out.charAt(out.length() - 1) == ' ') {
                out.setLength(out.length() - 1);
            }
            return;
        }
        releaseSpace(out);
        out.append('[').append(String.join(", ", valid)).append(']');
        afterMarker = true;
        markerMayFollow = false;
    }

    private void releaseHeldAsText(StringBuilder out) {
        if (held.isEmpty()) {
            return;
        }
        String pending = held.toString();
        held.setLength(0);
        // The first '[' is text; what follows it is looked at again, as it may open a marker itself.
        emitChar(out, pending.charAt(0));
        for (int i = 1; i < pending.length(); i++) {
            char c = pending.charAt(i);
            if (!held.isEmpty()) {
                held.append(c);
                if (c == ']') {
                    resolve(out);
                } else if (!MARKER_PREFIX.matcher(held).matches()) {
                    String again = held.toString();
                    held.setLength(0);
                    again.chars().forEach(ch -> emitChar(out, (char) ch));
                }
            } else if (c == '[' && (markerMayFollow || afterMarker)) {
                held.append(c);
            } else {
                emitChar(out, c);
            }
        }
    }

    private void emitChar(StringBuilder out, char c) {
        releaseSpace(out);
        out.append(c);
        afterMarker = false;
        markerMayFollow = !Character.isLetterOrDigit(c) && c != ']' && c != '_' && c != ')';
    }

    private void releaseSpace(StringBuilder out) {
        if (spaceHeld) {
            out.append(' ');
            spaceHeld = false;
        }
    }

    private void send(StringBuilder out) {
        send(out, false);
    }

    private void send(StringBuilder out, boolean last) {
        if (!last && !out.isEmpty() && out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
            spaceHeld = true;
        }
        if (!out.isEmpty()) {
            text.append(out);
            consumer.onText(out.toString());
        }
    }
}
