package dev.sextant.router.resilience;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;

/** An embedding model called through the {@link Hop#EMBEDDINGS} guard. */
public final class GuardedEmbeddingModel implements EmbeddingModel, AutoCloseable {

    private final EmbeddingModel delegate;
    private final Hops hops;

    public GuardedEmbeddingModel(EmbeddingModel delegate, Hops hops) {
        this.delegate = delegate;
        this.hops = hops;
    }

    @Override
    public EmbeddingResult embed(EmbeddingRequest request) {
        return hops.call(Hop.EMBEDDINGS, EmbeddingResult.class, () -> delegate.embed(request));
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    /** The model under the guard (to read its statistics, say). */
    public EmbeddingModel unwrap() {
        return delegate;
    }

    @Override
    public void close() {
        if (delegate instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // shutting down: nothing useful to do with a close failure
            }
        }
    }
}
