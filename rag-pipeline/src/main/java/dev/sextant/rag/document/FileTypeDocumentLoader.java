package dev.sextant.rag.document;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Chooses a parser by file extension: HTML through jsoup, Markdown by its headings, reStructuredText by its section
 * titles, PDF through PDFBox, everything else in {@link #TEXT_EXTENSIONS} as plain text. Text input must be UTF-8; invalid bytes are an error, never silently
 * replaced.
 */
public final class FileTypeDocumentLoader implements DocumentLoader {

    public static final Set<String> TEXT_EXTENSIONS = Set.of("txt", "text", "adoc");
    public static final Set<String> RST_EXTENSIONS = Set.of("rst");
    public static final Set<String> MARKDOWN_EXTENSIONS = Set.of("md", "markdown");
    public static final Set<String> HTML_EXTENSIONS = Set.of("html", "htm");
    public static final Set<String> PDF_EXTENSIONS = Set.of("pdf");

    /** The size limit {@code sextant.chunking.max-file-bytes} defaults to, for tools that load as the application. */
    public static final long DEFAULT_MAX_BYTES = 20_000_000L;

    private final long maxBytes;

    public FileTypeDocumentLoader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public static boolean isSupported(Path file) {
        String ext = extension(file);
        return TEXT_EXTENSIONS.contains(ext) || MARKDOWN_EXTENSIONS.contains(ext) || RST_EXTENSIONS.contains(ext)
                || HTML_EXTENSIONS.contains(ext) || PDF_EXTENSIONS.contains(ext);
    }

    @Override
    public Document load(LoadRequest request) {
        Path file = request.file();
        String ext = extension(file);
        if (!isSupported(file)) {
            throw new DocumentLoadException(file + ": unsupported file type '." + ext + "'");
        }
        String fallbackTitle = file.getFileName().toString();
        if (PDF_EXTENSIONS.contains(ext)) {
            return PdfParser.parse(request.source(), fallbackTitle, file, readBytes(file));
        }
        String text = readUtf8(file);
        if (HTML_EXTENSIONS.contains(ext)) {
            return HtmlParser.parse(request.source(), fallbackTitle, text);
        }
        if (MARKDOWN_EXTENSIONS.contains(ext)) {
            return MarkdownParser.parse(request.source(), fallbackTitle, text);
        }
        if (RST_EXTENSIONS.contains(ext)) {
            return RstParser.parse(request.source(), fallbackTitle, text);
        }
        return new Document(request.source(), fallbackTitle, List.of(new Document.Section(List.of(), text)));
    }

    private String readUtf8(Path file) {
        byte[] bytes = readBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DocumentLoadException(file + ": not valid UTF-8", e);
        }
    }

    /** The whole file, refused before reading when it is over {@link #maxBytes}. */
    private byte[] readBytes(Path file) {
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new DocumentLoadException(file + ": " + size + " bytes is over the limit of " + maxBytes);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DocumentLoadException(file + ": cannot read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
