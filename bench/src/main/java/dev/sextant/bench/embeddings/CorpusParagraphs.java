package dev.sextant.bench.embeddings;

import dev.sextant.rag.document.Document;
import dev.sextant.rag.document.FileTypeDocumentLoader;
import dev.sextant.rag.document.LoadRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The texts the embeddings benchmark embeds: paragraphs of a corpus, about as long as chunks and queries. */
public final class CorpusParagraphs {

    /** Shorter paragraphs (headings, captions, navigation left-overs) are left out. */
    static final int MIN_CHARS = 40;
    /** Longer ones are cut at the last space before this. */
    static final int MAX_CHARS = 600;

    private CorpusParagraphs() {
    }

    /**
     * Paragraphs of the supported files under {@code root}, in path order, whitespace collapsed, at least
     * {@value #MIN_CHARS} characters, cut at {@value #MAX_CHARS}; at most {@code limit}. Files the loader refuses are
     * skipped.
     */
    public static List<String> read(Path root, int limit) throws IOException {
        FileTypeDocumentLoader loader = new FileTypeDocumentLoader(FileTypeDocumentLoader.DEFAULT_MAX_BYTES);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(FileTypeDocumentLoader::isSupported).sorted().toList();
        }
        List<String> texts = new ArrayList<>();
        for (Path file : files) {
            Document document;
            try {
                document = loader.load(new LoadRequest(file, root.relativize(file).toString()));
            } catch (RuntimeException e) {
                continue;
            }
            for (Document.Section section : document.sections()) {
                for (String paragraph : section.text().split("\\n\\s*\\n")) {
                    String text = paragraph.replaceAll("\\s+", " ").strip();
                    if (text.length() < MIN_CHARS) {
                        continue;
                    }
                    if (text.length() > MAX_CHARS) {
                        int cut = text.lastIndexOf(' ', MAX_CHARS);
                        text = text.substring(0, cut > 0 ? cut : MAX_CHARS);
                    }
                    texts.add(text);
                    if (texts.size() == limit) {
                        return texts;
                    }
                }
            }
        }
        return texts;
    }
}
