package dev.sextant.router.resilience;

import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.TokenStream;
import java.util.List;

/** An inference client called through the {@link Hop#INFERENCE} guard. */
public final class GuardedInferenceClient implements InferenceClient, AutoCloseable {

    private final InferenceClient delegate;
    private final Hops hops;

    public GuardedInferenceClient(InferenceClient delegate, Hops hops) {
        this.delegate = delegate;
        this.hops = hops;
    }

    @Override
    public GenerationResult generate(GenerationRequest request, TokenStream stream) {
        return hops.call(Hop.INFERENCE, GenerationResult.class, () -> delegate.generate(request, stream));
    }

    @Override
    public List<ModelInfo> models() {
        return delegate.models();
    }

    public InferenceClient unwrap() {
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
