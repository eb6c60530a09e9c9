package dev.sextant.rag.document;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits Markdown into sections at ATX headings ({@code #} .. {@code ######}), outside fenced code. */
final class MarkdownParser {

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");

    private MarkdownParser() {
    }

    static Document parse(String source, String fallbackTitle, String markdown) {
        List<Document.Section> sections = new ArrayList<>();
        HeadingPath path = new HeadingPath();
        StringBuilder text = new StringBuilder();
        String title = null;
        boolean inFence = false;
        for (String line : markdown.split("\r?\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                inFence = !inFence;
            }
            Matcher m = inFence ? null : HEADING.matcher(line);
            if (m != null && m.matches()) {
                flush(sections, path.headings(), text);
                path.enter(m.group(1).length(), m.group(2));
                if (title == null) {
                    title = m.group(2);
                }
                continue;
            }
            text.append(line).append('\n');
        }
        flush(sections, path.headings(), text);
        return new Document(source, title == null ? fallbackTitle : title, sections);
    }

    private static void flush(List<Document.Section> sections, List<String> path, StringBuilder text) {
        if (!text.toString().isBlank()) {
            sections.add(new Document.Section(path, text.toString().strip()));
        }
        text.setLength(0);
    }
}
