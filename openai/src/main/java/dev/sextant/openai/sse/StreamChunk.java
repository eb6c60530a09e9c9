package dev.sextant.openai.sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.openai.WireFormatException;
import dev.sextant.openai.WireJson;
import dev.sextant.openai.chat.CompletionChunk;

/**
 * One {@code data:} event of an OpenAI stream, parsed only when asked: a load generator that needs nothing but
 * the first token's arrival should not spend the CPU it shares with the server on parsing every chunk.
 */
public final class StreamChunk {

    private final int number;
    private final String data;
    private JsonNode json;
    private CompletionChunk completion;
    private WireFormatException malformed;

    StreamChunk(int number, String data) {
        this.number = number;
        this.data = data;
    }

    /** 1-based position among the stream's data events ({@code [DONE]} not counted). */
    public int number() {
        return number;
    }

    /** The event's data as sent. */
    public String data() {
        return data;
    }

    /**
     * The data as JSON, parsed once. A chunk that is not JSON throws a {@link WireFormatException}; thrown out of
     * a {@link ChunkListener}, it ends the stream as {@link StreamEnd.How#MALFORMED}.
     */
    public JsonNode json() {
        if (malformed != null) {
            throw malformed;
        }
        if (json == null) {
            try {
                json = WireJson.MAPPER.readTree(data);
            } catch (JsonProcessingException e) {
                malformed = WireFormatException.malformed(null, e.getOriginalMessage(), e);
                throw malformed;
            }
        }
        return json;
    }

    /** The chunk read as a chat or text completion chunk. */
    public CompletionChunk completion() {
        if (completion == null) {
            completion = CompletionChunk.of(json());
        }
        return completion;
    }

    /** Whether {@code e} is this chunk's own parse failure (and not something a listener threw). */
    boolean failedWith(WireFormatException e) {
        return e == malformed;
    }

    @Override
    public String toString() {
        return "StreamChunk[" + number + ": " + data + "]";
    }
}
