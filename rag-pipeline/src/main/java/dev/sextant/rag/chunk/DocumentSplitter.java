package dev.sextant.rag.chunk;

import dev.sextant.rag.document.Document;
import java.util.List;

/** Cuts a document into chunks. */
public interface DocumentSplitter {

    List<Chunk> split(SplitRequest request);

    /** @param tenant owner stamped on every chunk */
    record SplitRequest(Document document, String tenant) {
    }
}
