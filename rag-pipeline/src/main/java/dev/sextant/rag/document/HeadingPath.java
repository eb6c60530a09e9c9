package dev.sextant.rag.document;

import java.util.ArrayList;
import java.util.List;

/**
 * The headings above the current position of a document, outermost first. A heading replaces every heading of its
 * level or deeper, whatever the levels in between: a page that starts at {@code h2} and goes on with {@code h3}
 * siblings gets {@code [h2, second h3]}, not {@code [h2, first h3, second h3]}.
 */
final class HeadingPath {

    private final List<String> headings = new ArrayList<>();
    private final List<Integer> levels = new ArrayList<>();

    /** A heading of {@code level} (1 outermost) begins. */
    void enter(int level, String heading) {
        while (!levels.isEmpty() && levels.getLast() >= level) {
            levels.removeLast();
            headings.removeLast();
        }
        levels.add(level);
        headings.add(heading);
    }

    /** The current headings (a live view: copy it to keep it). */
    List<String> headings() {
        return headings;
    }
}
