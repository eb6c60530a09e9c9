package dev.sextant.rag.document;

import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * Extracts readable text from HTML: drops scripts, styles, navigation, headers and footers, and splits the body into
 * sections at {@code h1}..{@code h6}.
 */
final class HtmlParser {

    private static final String NOISE = "script, style, noscript, nav, header, footer, aside, form, "
            + "[role=navigation], .navigation, .related, .sphinxsidebar, .footer, .navheader, .navfooter";

    private HtmlParser() {
    }

    static Document parse(String source, String fallbackTitle, String html) {
        org.jsoup.nodes.Document dom = Jsoup.parse(html);
        dom.select(NOISE).remove();
        Element body = dom.body();
        String title = dom.title().isBlank() ? fallbackTitle : dom.title().strip();
        List<Document.Section> sections = new ArrayList<>();
        HeadingPath path = new HeadingPath();
        StringBuilder text = new StringBuilder();
        for (Element el : body.select("h1, h2, h3, h4, h5, h6, p, pre, li, dt, dd, td, th, blockquote")) {
            if (el.tagName().matches("h[1-6]")) {
                flush(sections, path.headings(), text);
                path.enter(el.tagName().charAt(1) - '0', el.text().replace("¶", "").strip());
                continue;
            }
            if (hasBlockAncestorInSelection(el)) {
                continue;
            }
            String part = el.tagName().equals("pre") ? el.wholeText() : el.text();
            if (!part.isBlank()) {
                text.append(part.strip()).append("\n\n");
            }
        }
        flush(sections, path.headings(), text);
        return new Document(source, title, sections);
    }

    /** A {@code p} inside an {@code li} is already part of the list item's text. */
    private static boolean hasBlockAncestorInSelection(Element el) {
        for (Element parent = el.parent(); parent != null; parent = parent.parent()) {
            switch (parent.tagName()) {
                case "p", "pre", "li", "dt", "dd", "td", "th", "blockquote" -> {
                    return true;
                }
                default -> {
                }
            }
        }
        return false;
    }

    private static void flush(List<Document.Section> sections, List<String> path, StringBuilder text) {
        if (!text.toString().isBlank()) {
            sections.add(new Document.Section(path, text.toString().strip()));
        }
        text.setLength(0);
    }
}
