package dev.sextant.rag.document;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A loaded document: plain text plus the structure the loader found.
 *
 * @param source   stable identifier, e.g. a path relative to the ingested root ({@code library/heapq.html})
 * @param title    document title, or the file name when none is known
 * @param sections text in reading order, each under its heading path
 */
public record Document(String source, String title, List<Section> sections) {

    /** Between two sections in {@link #text()}. */
    public static final String SECTION_SEPARATOR = "\n\n";

    /** A run of text under one heading path, e.g. {@code ["Tutorial", "Lists"]}. */
    public record Section(List<String> headingPath, String text) {
        public Section {
            headingPath = List.copyOf(headingPath);
            Objects.requireNonNull(text, "text");
        }
    }

    public Document {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(title, "title");
        sections = List.copyOf(sections);
    }

    /**
     * The document's text: the sections' texts in order, joined by {@link #SECTION_SEPARATOR}; headings are not part
     * of it. Chunk offsets ({@code Chunk.start()}, {@code Chunk.end()}) point into this string.
     */
    public String text() {
        return String.join(SECTION_SEPARATOR, sections.stream().map(Section::text).toList());
    }

    public boolean isBlank() {
        return sections.stream().allMatch(s -> s.text().isBlank());
    }

    /** SHA-256 over title and text: equal hashes mean re-ingesting would change nothing. */
    public String contentHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(title.getBytes(StandardCharsets.UTF_8));
            for (Section s : sections) {
                digest.update((byte) 0);
                digest.update(String.join("\u001f", s.headingPath()).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(s.text().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
