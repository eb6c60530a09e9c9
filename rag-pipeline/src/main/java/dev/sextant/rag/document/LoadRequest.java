package dev.sextant.rag.document;

import java.nio.file.Path;
import java.util.Objects;

/**
 * @param file   the file to read
 * @param source identifier the chunks will carry (usually the path relative to the ingested root)
 */
public record LoadRequest(Path file, String source) {
    public LoadRequest {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(source, "source");
    }
}
