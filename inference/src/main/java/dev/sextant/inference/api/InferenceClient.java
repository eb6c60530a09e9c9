package dev.sextant.inference.api;

import java.util.List;

/**
 * The seam between the router and whatever runs the model: in the same JVM or over HTTP. Implementations are
 * thread-safe; {@link #generate} blocks the calling thread until generation ends.
 */
public interface InferenceClient {

    /**
     * @throws InferenceException with a {@link InferenceException.Kind} telling the caller whose fault it was
     */
    GenerationResult generate(GenerationRequest request, TokenStream stream);

    List<ModelInfo> models();

    record ModelInfo(String id, int contextLength) {
    }
}
