package dev.sextant.eval.load;

import dev.sextant.openai.chat.CompletionChunk;
import dev.sextant.openai.sse.ChunkListener;
import dev.sextant.openai.sse.StreamChunk;
import java.util.function.LongSupplier;

/** Notes when a stream's first token arrived, by the rule of its {@link ResponseKind}. */
final class FirstTokenClock implements ChunkListener {

    private final ResponseKind kind;
    private final LongSupplier clock;
    private long nanos = -1;
    private int event;

    FirstTokenClock(ResponseKind kind, LongSupplier clock) {
        this.kind = kind;
        this.clock = clock;
    }

    @Override
    public boolean onChunk(StreamChunk chunk) {
        if (nanos >= 0) {
            // Parsing every event would cost the generator CPU it shares with the server; after the first token
            // the reader itself parses only events that may carry an error.
            return true;
        }
        // parsed even when any event counts, so that a malformed first event fails the stream
        CompletionChunk parsed = chunk.completion();
        if (kind == ResponseKind.SSE_FIRST_EVENT || parsed.hasText()) {
            nanos = clock.getAsLong();
            event = chunk.number();
        }
        return true;
    }

    /** The clock's reading at the first token; -1 if none came. */
    long nanos() {
        return nanos;
    }

    /** 1-based number of the data event that carried it; 0 if none. */
    int event() {
        return event;
    }
}
