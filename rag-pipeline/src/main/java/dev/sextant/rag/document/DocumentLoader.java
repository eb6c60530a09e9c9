package dev.sextant.rag.document;

/** Reads one file into a {@link Document}. */
public interface DocumentLoader {

    /** @throws DocumentLoadException naming the file and why it cannot be loaded */
    Document load(LoadRequest request);
}
