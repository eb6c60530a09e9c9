package dev.sextant.rag.document;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits reStructuredText into sections at its section titles: a line of text underlined (and optionally overlined)
 * by one punctuation character repeated at least as far as the title reaches, e.g.
 *
 * <pre>
 * Checkpoints
 * ===========
 * </pre>
 *
 * <p>As in docutils, a title's level is the order in which its adornment style (character, with or without
 * overline) first appears. The title must start a block (first line, or after a blank line or another title), and
 * an underline-only title must start in column 1, so indented literal blocks never hold titles. The title lines are
 * left out of the section text; the first title is the document title.
 */
final class RstParser {

    private RstParser() {
    }

    static Document parse(String source, String fallbackTitle, String rst) {
        String[] lines = rst.split("\r?\n", -1);
        List<Document.Section> sections = new ArrayList<>();
        List<String> styles = new ArrayList<>();
        List<String> path = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        String title = null;
        boolean blockStart = true;
        for (int i = 0; i < lines.length; ) {
            String heading = null;
            String style = null;
            int consumed = 0;
            if (blockStart && i + 2 < lines.length && isOverlinedTitle(lines[i], lines[i + 1], lines[i + 2])) {
                heading = lines[i + 1].strip();
                style = lines[i].charAt(0) + "/over";
                consumed = 3;
            } else if (blockStart && i + 1 < lines.length && isUnderlinedTitle(lines[i], lines[i + 1])) {
                heading = lines[i].strip();
                style = lines[i + 1].charAt(0) + "/under";
                consumed = 2;
            }
            if (heading == null) {
                text.append(lines[i]).append('\n');
                blockStart = lines[i].isBlank();
                i++;
                continue;
            }
            flush(sections, path, text);
            if (!styles.contains(style)) {
                styles.add(style);
            }
            int level = styles.indexOf(style) + 1;
            while (path.size() >= level) {
                path.remove(path.size() - 1);
            }
            path.add(heading);
            if (title == null) {
                title = heading;
            }
            blockStart = true;
            i += consumed;
        }
        flush(sections, path, text);
        return new Document(source, title == null ? fallbackTitle : title, sections);
    }

    private static boolean isUnderlinedTitle(String line, String underline) {
        String title = line.stripTrailing();
        return !title.isEmpty() && !Character.isWhitespace(title.charAt(0)) && !isAdornment(title)
                && isAdornment(underline) && underline.stripTrailing().length() >= title.length();
    }

    private static boolean isOverlinedTitle(String overline, String line, String underline) {
        String over = overline.stripTrailing();
        String title = line.strip();
        return isAdornment(over) && over.equals(underline.stripTrailing()) && !title.isEmpty() && !isAdornment(title)
                && line.stripTrailing().length() <= over.length();
    }

    /** One non-alphanumeric printable ASCII character repeated, from column 1, at least twice. */
    private static boolean isAdornment(String line) {
        String s = line.stripTrailing();
        if (s.length() < 2) {
            return false;
        }
        char c = s.charAt(0);
        if (c <= ' ' || c > '~' || Character.isLetterOrDigit(c)) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) != c) {
                return false;
            }
        }
        return true;
    }

    private static void flush(List<Document.Section> sections, List<String> path, StringBuilder text) {
        if (!text.toString().isBlank()) {
            sections.add(new Document.Section(path, text.toString().strip()));
        }
        text.setLength(0);
    }
}
