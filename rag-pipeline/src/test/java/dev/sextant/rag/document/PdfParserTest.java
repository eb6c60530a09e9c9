package dev.sextant.rag.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixture PDFs are written with PDFBox in each test; no binary fixtures. */
class PdfParserTest {

    @TempDir
    Path dir;

    final FileTypeDocumentLoader loader = new FileTypeDocumentLoader(1_000_000);

    /** Writing the fixtures uses PDFBox before the parser class is loaded: quiet its font warnings from the start. */
    @BeforeAll
    static void quietPdfBox() {
        PdfParser.quietPdfBoxLogging();
    }

    @Test
    void pdfIsSupported() {
        assertThat(FileTypeDocumentLoader.isSupported(Path.of("manual.PDF"))).isTrue();
    }

    @Test
    void outlineItemsBecomeHeadingPathsOverTheirPageRanges() throws Exception {
        Path file = dir.resolve("guide.pdf");
        try (PDDocument pdf = textPdf("Intro to heaps.", "Heaps keep the smallest item first.",
                "Sift down restores the invariant.", "Priority queues are built on heaps.")) {
            pdf.getDocumentInformation().setTitle("  The Heap Guide ");
            PDDocumentOutline outline = new PDDocumentOutline();
            PDOutlineItem one = bookmark("Chapter One", pdf.getPage(1));
            one.addLast(bookmark("Sifting", pdf.getPage(2)));
            outline.addLast(one);
            outline.addLast(bookmark("Chapter Two", pdf.getPage(3)));
            pdf.getDocumentCatalog().setDocumentOutline(outline);
            pdf.save(file.toFile());
        }
        Document doc = loader.load(new LoadRequest(file, "docs/guide.pdf"));
        assertThat(doc.title()).isEqualTo("The Heap Guide");
        assertThat(doc.source()).isEqualTo("docs/guide.pdf");
        assertThat(doc.sections()).extracting(Document.Section::headingPath).containsExactly(
                List.of(), List.of("Chapter One"), List.of("Chapter One", "Sifting"), List.of("Chapter Two"));
        assertThat(doc.sections()).extracting(Document.Section::text).containsExactly(
                "Intro to heaps.", "Heaps keep the smallest item first.", "Sift down restores the invariant.",
                "Priority queues are built on heaps.");
    }

    @Test
    void chapterSpansPagesUpToTheNextBookmark() throws Exception {
        Path file = dir.resolve("book.pdf");
        try (PDDocument pdf = textPdf("First page.", "Second page.", "Third page.")) {
            PDDocumentOutline outline = new PDDocumentOutline();
            outline.addLast(bookmark("Part A", pdf.getPage(0)));
            outline.addLast(bookmark("Part B", pdf.getPage(2)));
            pdf.getDocumentCatalog().setDocumentOutline(outline);
            pdf.save(file.toFile());
        }
        Document doc = loader.load(new LoadRequest(file, "book.pdf"));
        assertThat(doc.title()).isEqualTo("book.pdf");
        assertThat(doc.sections()).extracting(Document.Section::headingPath)
                .containsExactly(List.of("Part A"), List.of("Part B"));
        assertThat(doc.sections().get(0).text()).contains("First page.", "Second page.").doesNotContain("Third");
        assertThat(doc.sections().get(1).text()).isEqualTo("Third page.");
    }

    @Test
    void withoutOutlineEachPageIsASectionAndTheFileNameIsTheTitle() throws Exception {
        Path file = dir.resolve("plain.pdf");
        try (PDDocument pdf = textPdf("Alpha text.", "Beta text.", "Gamma text.")) {
            pdf.save(file.toFile());
        }
        Document doc = loader.load(new LoadRequest(file, "plain.pdf"));
        assertThat(doc.title()).isEqualTo("plain.pdf");
        assertThat(doc.sections()).extracting(Document.Section::headingPath)
                .containsExactly(List.of("Page 1"), List.of("Page 2"), List.of("Page 3"));
        assertThat(doc.sections()).extracting(Document.Section::text)
                .containsExactly("Alpha text.", "Beta text.", "Gamma text.");
    }

    @Test
    void imageOnlyPagesAreSkippedWhenOtherPagesHaveText() throws Exception {
        Path file = dir.resolve("mixed.pdf");
        try (PDDocument pdf = textPdf("Only text page.")) {
            pdf.addPage(imagePage(pdf));
            pdf.save(file.toFile());
        }
        Document doc = loader.load(new LoadRequest(file, "mixed.pdf"));
        assertThat(doc.sections()).extracting(Document.Section::headingPath).containsExactly(List.of("Page 1"));
    }

    @Test
    void imageOnlyPdfIsAnError() throws Exception {
        Path file = dir.resolve("scan.pdf");
        try (PDDocument pdf = new PDDocument()) {
            pdf.addPage(imagePage(pdf));
            pdf.save(file.toFile());
        }
        assertLoadFails(file, "no text (scanned?)");
    }

    @Test
    void passwordProtectedPdfIsAnError() throws Exception {
        Path file = dir.resolve("secret.pdf");
        try (PDDocument pdf = textPdf("Top secret.")) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-pw", "user-pw",
                    new AccessPermission());
            policy.setEncryptionKeyLength(256);
            pdf.protect(policy);
            pdf.save(file.toFile());
        }
        assertLoadFails(file, "encrypted");
    }

    @Test
    void truncatedPdfIsAnError() throws Exception {
        Path file = dir.resolve("cut.pdf");
        try (PDDocument pdf = textPdf("Page one of a document that will be cut.", "Page two.")) {
            pdf.save(file.toFile());
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertLoadFails(file, "not a readable PDF: ");
    }

    @Test
    void nonPdfRenamedToPdfIsAnError() throws Exception {
        Path file = dir.resolve("notes.pdf");
        Files.writeString(file, "just some text, not a PDF\n");
        assertLoadFails(file, "not a readable PDF: ");
    }

    @Test
    void sizeLimitIsEnforcedBeforeParsing() throws Exception {
        Path file = dir.resolve("big.pdf");
        Files.write(file, new byte[2_000]); // not even a PDF: the limit must trip first
        assertThatThrownBy(() -> new FileTypeDocumentLoader(1_000).load(new LoadRequest(file, "big.pdf")))
                .isInstanceOf(DocumentLoadException.class)
                .hasMessageContaining("big.pdf").hasMessageContaining("over the limit of 1000");
    }

    private void assertLoadFails(Path file, String reason) {
        String name = file.getFileName().toString();
        assertThatThrownBy(() -> loader.load(new LoadRequest(file, name)))
                .isInstanceOf(DocumentLoadException.class)
                .hasMessageContaining(name).hasMessageContaining(reason)
                .hasMessageNotContaining("\tat ");
    }

    /** One page per argument, each with its text in Helvetica. */
    private static PDDocument textPdf(String... pageTexts) throws IOException {
        PDDocument pdf = new PDDocument();
        PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        for (String text : pageTexts) {
            PDPage page = new PDPage();
            pdf.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                content.beginText();
                content.setFont(helvetica, 12);
                content.newLineAtOffset(72, 700);
                content.showText(text);
                content.endText();
            }
        }
        return pdf;
    }

    private static PDPage imagePage(PDDocument pdf) throws IOException {
        BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 40; x++) {
            image.setRGB(x, x, 0xFFFFFF);
        }
        PDImageXObject xobject = LosslessFactory.createFromImage(pdf, image);
        PDPage page = new PDPage();
        try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
            content.drawImage(xobject, 72, 500, 200, 200);
        }
        return page;
    }

    private static PDOutlineItem bookmark(String title, PDPage page) {
        PDOutlineItem item = new PDOutlineItem();
        item.setTitle(title);
        item.setDestination(page);
        return item;
    }
}
