package dev.sextant.app.wiring;

import dev.sextant.embeddings.remote.HttpEmbeddingModel;
import dev.sextant.embeddings.remote.HttpEmbeddingOptions;
import dev.sextant.router.config.EmbeddingsConfig;
import java.net.URI;
import java.util.Map;

/** Connects to the remote embeddings service named by {@code sextant.embeddings.url}. */
final class RemoteEmbeddings {

    /** Vector lengths of the shipped models, so a router can start before the embeddings service is up. */
    private static final Map<String, Integer> SHIPPED_DIMENSIONS = Map.of(
            "all-minilm-l6-v2-q", 384,
            "bge-small-en-v1.5-q", 384);

    private RemoteEmbeddings() {
    }

    static HttpEmbeddingModel connect(EmbeddingsConfig config) {
        URI url = config.url().orElseThrow();
        String apiKey = config.apiKey().orElse(null);
        Integer dimension = SHIPPED_DIMENSIONS.get(config.model());
        HttpEmbeddingOptions options;
        if (dimension != null) {
            options = HttpEmbeddingOptions.of(url, config.model(), dimension).withApiKey(apiKey);
        } else {
            // A model from a directory: only the service knows its vector length; ask it once, at startup.
            options = HttpEmbeddingModel.probe(url, apiKey, config.timeout());
            if (!options.model().equals(config.model()) && !config.model().endsWith("/" + options.model())) {
                throw new IllegalStateException("the embeddings service at " + url + " serves '" + options.model()
                        + "', but sextant.embeddings.model is '" + config.model() + "'");
            }
        }
        return new HttpEmbeddingModel(options.withTimeouts(HttpEmbeddingOptions.DEFAULT_CONNECT_TIMEOUT,
                config.timeout()));
    }
}
