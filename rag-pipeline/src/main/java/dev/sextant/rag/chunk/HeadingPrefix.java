package dev.sextant.rag.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the embedder reads on a line before a chunk's text, to give a short chunk the context it lacks on its own
 * ({@link Chunk#embeddingText()}). {@link RecursiveSplitter} sizes each chunk's text to leave room for this line
 * within the model's input ({@link ChunkLimits#modelTokens()}) and shortens a line that would take more than a third
 * of it.
 */
public enum HeadingPrefix {

    /** The title and every heading above the chunk, outermost first: {@code Title > Part > Section}. */
    PATH,
    /** The title and the innermost heading only: {@code Title > Section}. */
    NEAREST,
    /** Nothing: the embedder reads the chunk's text alone. */
    NONE;

    /** Between the parts of a prefix line. */
    static final String SEPARATOR = " > ";

    /**
     * The parts of this policy's line, in order: the title (when not blank), then the headings this policy keeps,
     * leaving out headings that repeat the title (HTML pages often repeat it as their {@code h1}) and blank ones.
     */
    List<String> parts(String title, List<String> headingPath) {
        List<String> parts = new ArrayList<>();
        if (this == NONE) {
            return parts;
        }
        boolean hasTitle = title != null && !title.isBlank();
        if (hasTitle) {
            parts.add(title);
        }
        List<String> headings = new ArrayList<>();
        for (String heading : headingPath) {
            if (!heading.isBlank() && !(hasTitle && heading.equals(title))) {
                headings.add(heading);
            }
        }
        if (this == NEAREST && headings.size() > 1) {
            headings = List.of(headings.get(headings.size() - 1));
        }
        parts.addAll(headings);
        return parts;
    }

    /** This policy's line for a chunk under {@code title} and {@code headingPath}, unshortened; "" for none. */
    public String line(String title, List<String> headingPath) {
        return String.join(SEPARATOR, parts(title, headingPath));
    }

    /** The configuration value: {@code path}, {@code nearest}, {@code none}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static HeadingPrefix fromConfig(String value) {
        for (HeadingPrefix p : values()) {
            if (p.configValue().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("heading prefix must be path, nearest or none, got '" + value + "'");
    }
}
