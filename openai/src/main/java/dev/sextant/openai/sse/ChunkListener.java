package dev.sextant.openai.sse;

/** Receives the data events of an OpenAI stream in order, on the reading thread. */
@FunctionalInterface
public interface ChunkListener {

    /**
     * @return true to read on; false to stop here (the caller gave up), ending the read with
     *         {@link StreamEnd.How#STOPPED}
     */
    boolean onChunk(StreamChunk chunk);
}
