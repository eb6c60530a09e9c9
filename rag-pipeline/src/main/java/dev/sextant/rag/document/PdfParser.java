package dev.sextant.rag.document;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineNode;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Extracts text from a PDF page by page (in position order). Sections follow the outline (bookmarks) when the PDF
 * has one: each outline item owns the pages from its destination page up to the next item's, under the heading path
 * of its titles from the outline root. Pages before the first bookmark form one section with an empty heading path.
 * Without a usable outline every page is its own section under {@code ["Page N"]}.
 *
 * <p>PDFBox logs warnings for recoverable font and syntax problems in ordinary PDFs; unless a level is configured for
 * {@code org.apache.pdfbox} (e.g. {@code quarkus.log.category."org.apache.pdfbox".level}), only errors are logged.
 */
final class PdfParser {

    private static final int MAX_OUTLINE_ITEMS = 10_000;
    private static final int MAX_OUTLINE_DEPTH = 32;

    /** Strong reference: java.util.logging holds loggers weakly, and a collected logger forgets its level. */
    private static final Logger PDFBOX_LOG = Logger.getLogger("org.apache.pdfbox");

    static {
        quietPdfBoxLogging();
    }

    private PdfParser() {
    }

    /** Lowers PDFBox logging to errors unless a level is already configured for it; idempotent. */
    static void quietPdfBoxLogging() {
        if (PDFBOX_LOG.getLevel() == null) {
            PDFBOX_LOG.setLevel(Level.SEVERE);
        }
    }

    /** One flattened outline item: its heading path and the 0-based index of the page it points to. */
    private record Bookmark(List<String> headingPath, int page) {
    }

    /**
     * @param file  used in error messages only; the caller has already read and size-checked {@code bytes}
     * @param bytes the whole PDF
     */
    static Document parse(String source, String fallbackTitle, Path file, byte[] bytes) {
        try (PDDocument pdf = Loader.loadPDF(bytes)) {
            List<String> pages = pageTexts(pdf);
            if (pages.stream().allMatch(String::isBlank)) {
                throw new DocumentLoadException(file + ": no text (scanned?)");
            }
            String title = pdf.getDocumentInformation().getTitle();
            title = title == null || title.isBlank() ? fallbackTitle : title.strip();
            List<Bookmark> bookmarks = bookmarks(pdf);
            List<Document.Section> sections = bookmarks.isEmpty() ? byPage(pages) : byOutline(pages, bookmarks);
            return new Document(source, title, sections);
        } catch (DocumentLoadException e) {
            throw e;
        } catch (InvalidPasswordException e) {
            throw new DocumentLoadException(file + ": encrypted (password-protected PDF)", e);
        } catch (IOException | RuntimeException e) {
            throw new DocumentLoadException(file + ": not a readable PDF: " + reason(e), e);
        }
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }

    private static List<String> pageTexts(PDDocument pdf) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setSortByPosition(true);
        int count = pdf.getNumberOfPages();
        List<String> pages = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            stripper.setStartPage(i);
            stripper.setEndPage(i);
            pages.add(stripper.getText(pdf).strip());
        }
        return pages;
    }

    private static List<Document.Section> byPage(List<String> pages) {
        List<Document.Section> sections = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            if (!pages.get(i).isBlank()) {
                sections.add(new Document.Section(List.of("Page " + (i + 1)), pages.get(i)));
            }
        }
        return sections;
    }

    private static List<Document.Section> byOutline(List<String> pages, List<Bookmark> bookmarks) {
        List<Document.Section> sections = new ArrayList<>();
        addSection(sections, List.of(), pages, 0, bookmarks.get(0).page());
        for (int i = 0; i < bookmarks.size(); i++) {
            Bookmark b = bookmarks.get(i);
            int end = i + 1 < bookmarks.size() ? bookmarks.get(i + 1).page() : pages.size();
            addSection(sections, b.headingPath(), pages, b.page(), end);
        }
        return sections;
    }

    /** Adds pages [from, to) as one section; items sharing a start page leave the earlier ones empty (skipped). */
    private static void addSection(List<Document.Section> sections, List<String> path, List<String> pages, int from,
            int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (!pages.get(i).isBlank()) {
                text.append(pages.get(i)).append("\n\n");
            }
        }
        if (!text.isEmpty()) {
            sections.add(new Document.Section(path, text.toString().strip()));
        }
    }

    /** The outline flattened in reading order, sorted by page (stable), skipping items that point to no page. */
    private static List<Bookmark> bookmarks(PDDocument pdf) throws IOException {
        PDDocumentOutline outline = pdf.getDocumentCatalog().getDocumentOutline();
        List<Bookmark> bookmarks = new ArrayList<>();
        if (outline != null) {
            collect(pdf, outline, new ArrayList<>(), bookmarks, new int[] {MAX_OUTLINE_ITEMS});
        }
        bookmarks.sort(Comparator.comparingInt(Bookmark::page));
        return bookmarks;
    }

    /** {@code budget} bounds the walk: malformed (cyclic) outlines exist in the wild. */
    private static void collect(PDDocument pdf, PDOutlineNode node, List<String> path, List<Bookmark> out,
            int[] budget) throws IOException {
        if (path.size() >= MAX_OUTLINE_DEPTH) {
            return;
        }
        for (PDOutlineItem item : node.children()) {
            if (--budget[0] < 0) {
                return;
            }
            String title = item.getTitle() == null ? "" : item.getTitle().strip();
            path.add(title.isEmpty() ? "(untitled)" : title);
            PDPage page = item.findDestinationPage(pdf);
            int index = page == null ? -1 : pdf.getPages().indexOf(page);
            if (index >= 0) {
                out.add(new Bookmark(List.copyOf(path), index));
            }
            collect(pdf, item, path, out, budget);
            path.remove(path.size() - 1);
        }
    }
}
