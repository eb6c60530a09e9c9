package dev.sextant.openai.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.openai.WireFormatException;
import dev.sextant.openai.WireJson;
import dev.sextant.openai.error.OpenAiError;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an OpenAI {@code stream: true} answer ({@code /v1/chat/completions}, {@code /v1/completions}) up to the
 * event that decides it: {@code data: [DONE]}, an error event in OpenAI's error shape, or the end of the body.
 * Every other data event goes to the {@link ChunkListener}.
 *
 * <p>The reader stops at the deciding event and leaves the rest of the body to the caller, who should read it to
 * its end ({@link BodyDrain}) so that the HTTP connection can be reused, or close it to give up.
 */
public final class ChunkStreamReader {

    private static final String DONE = "[DONE]";

    private ChunkStreamReader() {
    }

    public static StreamEnd read(InputStream body, ChunkListener listener) throws IOException {
        return read(new SseEventReader(body), listener);
    }

    public static StreamEnd read(SseEventReader events, ChunkListener listener) throws IOException {
        int chunks = 0;
        SseEvent event;
        while ((event = events.next()) != null) {
            if (event.isError()) {
                return new StreamEnd(StreamEnd.How.ERROR, chunks, typedError(event.data()), null);
            }
            if (event.data().strip().equals(DONE)) {
                return new StreamEnd(StreamEnd.How.DONE, chunks, null, null);
            }
            chunks++;
            StreamChunk chunk = new StreamChunk(chunks, event.data());
            // Only data that can hold an "error" key is parsed here, so a listener that needs no JSON costs no
            // parsing. Inside a JSON string the quotes would be escaped, so text that mentions "error" does not match.
            if (event.data().contains("\"error\"")) {
                JsonNode json;
                try {
                    json = chunk.json();
                } catch (WireFormatException malformed) {
                    return new StreamEnd(StreamEnd.How.MALFORMED, chunks, null, malformed.getMessage());
                }
                if (json.has("error")) {
                    return new StreamEnd(StreamEnd.How.ERROR, chunks, OpenAiError.from(json)
                            .orElseGet(() -> new OpenAiError(json.get("error").toString(), null, null, null)), null);
                }
            }
            try {
                if (!listener.onChunk(chunk)) {
                    return new StreamEnd(StreamEnd.How.STOPPED, chunks, null, null);
                }
            } catch (WireFormatException e) {
                if (!chunk.failedWith(e)) {
                    throw e;
                }
                return new StreamEnd(StreamEnd.How.MALFORMED, chunks, null, e.getMessage());
            }
        }
        return new StreamEnd(StreamEnd.How.CUT_OFF, chunks, null, null);
    }

    /** The data of an {@code event: error}: an error body, a bare error object, or plain text. */
    private static OpenAiError typedError(String data) {
        if (data.isBlank()) {
            return new OpenAiError("(no data)", null, null, null);
        }
        try {
            JsonNode json = WireJson.MAPPER.readTree(data);
            return OpenAiError.from(json).orElseGet(() -> new OpenAiError(data, null, null, null));
        } catch (IOException notJson) {
            return new OpenAiError(data, null, null, null);
        }
    }
}
