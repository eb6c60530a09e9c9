package dev.sextant.embeddings.remote;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;
import dev.sextant.embeddings.EmbeddingServiceException;
import dev.sextant.openai.embeddings.EmbeddingsResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link EmbeddingModel} served by a remote sextant embeddings service, or any OpenAI-compatible
 * {@code POST /v1/embeddings}. Vectors travel as base64 float32. Every response is checked against the configured
 * model name and dimension, because vectors of another model would silently poison the index.
 *
 * <p>Failures are {@link EmbeddingServiceException}s; their kind says whether a retry can help. The constructor does
 * not contact the service, so a process can start while the service is still coming up. Thread-safe: one HTTP
 * client (and its connection pool) is shared by all callers.
 */
public final class HttpEmbeddingModel implements EmbeddingModel, AutoCloseable {

    private static final String PROBE_TEXT = "dimension probe";

    private final HttpEmbeddingOptions options;
    private final EmbeddingsEndpoint endpoint;

    public HttpEmbeddingModel(HttpEmbeddingOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.endpoint = new EmbeddingsEndpoint(options.embeddingsUri(), options.apiKey(), options.connectTimeout(),
                options.requestTimeout());
    }

    /**
     * Asks the service at {@code baseUri} which model it serves and how long its vectors are, by embedding one short
     * text without naming a model (the sextant service then uses its own). For when the dimension is not known
     * statically. Returns options with that name and dimension, the key, and default timeouts and slice size.
     *
     * @param apiKey  sent as a Bearer token; null sends none
     * @param timeout for connecting and for the one request
     */
    public static HttpEmbeddingOptions probe(URI baseUri, String apiKey, Duration timeout) {
        URI uri = HttpEmbeddingOptions.embeddingsUri(baseUri);
        try (EmbeddingsEndpoint probe = new EmbeddingsEndpoint(uri, apiKey, timeout, timeout)) {
            EmbeddingsResponse response = probe.embed(List.of(PROBE_TEXT), null);
            if (response.model() == null || response.model().isBlank()) {
                throw EmbeddingServiceException.incompatible(probe.where() + " did not name its model");
            }
            int dimension = response.vectors().get(0).length;
            if (dimension == 0) {
                throw EmbeddingServiceException.incompatible(probe.where() + " returned an empty vector");
            }
            return HttpEmbeddingOptions.of(baseUri, response.model(), dimension).withApiKey(apiKey);
        }
    }

    /**
     * Sends the texts in slices of {@link HttpEmbeddingOptions#maxInputsPerRequest()}, one after the other (the
     * service batches concurrent callers itself, and a bulk caller should not take all of its workers at once),
     * and returns the vectors in input order with the tokens the service counted.
     */
    @Override
    public EmbeddingResult embed(EmbeddingRequest request) {
        List<String> texts = request.texts();
        List<float[]> vectors = new ArrayList<>(texts.size());
        long tokens = 0;
        int step = options.maxInputsPerRequest();
        for (int from = 0; from < texts.size(); from += step) {
            List<String> slice = texts.subList(from, Math.min(texts.size(), from + step));
            EmbeddingsResponse response = endpoint.embed(slice, options.model());
            requireConfiguredModel(response);
            vectors.addAll(response.vectors());
            tokens += response.promptTokens();
        }
        return new EmbeddingResult(vectors, tokens);
    }

    private void requireConfiguredModel(EmbeddingsResponse response) {
        if (!options.model().equals(response.model())) {
            throw EmbeddingServiceException.incompatible(endpoint.where() + " answered with model '"
                    + response.model() + "', but '" + options.model() + "' is configured: vectors of different "
                    + "models must not mix");
        }
        for (float[] vector : response.vectors()) {
            if (vector.length != options.dimension()) {
                throw EmbeddingServiceException.incompatible(endpoint.where() + " returned " + vector.length
                        + "-dimensional vectors for model '" + options.model() + "', but dimension "
                        + options.dimension() + " is configured");
            }
        }
    }

    @Override
    public int dimension() {
        return options.dimension();
    }

    @Override
    public String name() {
        return options.model();
    }

    public HttpEmbeddingOptions options() {
        return options;
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
