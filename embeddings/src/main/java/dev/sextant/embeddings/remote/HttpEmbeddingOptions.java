package dev.sextant.embeddings.remote;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link HttpEmbeddingModel} reaches its service and what it expects back.
 *
 * @param baseUri              the service, e.g. {@code http://embeddings:8091}; requests go to {@code /v1/embeddings}
 *                             under it ({@code /embeddings} when the URI already ends in {@code /v1}, as OpenAI
 *                             clients' base URLs do)
 * @param model                model name sent with each request and required back in each response
 * @param dimension            vector length required in each response
 * @param apiKey               sent as {@code Authorization: Bearer}; null sends none
 * @param connectTimeout       to open a connection
 * @param requestTimeout       for one HTTP request, response body included
 * @param maxInputsPerRequest  larger requests are split into slices of this many texts (the sextant service takes
 *                             at most 2048 per request; smaller slices let queries overtake a bulk ingest there)
 */
public record HttpEmbeddingOptions(URI baseUri, String model, int dimension, String apiKey, Duration connectTimeout,
                                   Duration requestTimeout, int maxInputsPerRequest) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_INPUTS_PER_REQUEST = 256;

    public HttpEmbeddingOptions {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        String scheme = baseUri.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || baseUri.getHost() == null) {
            throw new IllegalArgumentException("baseUri must be an http(s) URL with a host, got " + baseUri);
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must be null or non-blank");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
        if (maxInputsPerRequest < 1) {
            throw new IllegalArgumentException("maxInputsPerRequest must be positive, got " + maxInputsPerRequest);
        }
    }

    /** No API key, 5 s to connect, 60 s per request, 256 texts per request. */
    public static HttpEmbeddingOptions of(URI baseUri, String model, int dimension) {
        return new HttpEmbeddingOptions(baseUri, model, dimension, null, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_INPUTS_PER_REQUEST);
    }

    public HttpEmbeddingOptions withApiKey(String key) {
        return new HttpEmbeddingOptions(baseUri, model, dimension, key, connectTimeout, requestTimeout,
                maxInputsPerRequest);
    }

    public HttpEmbeddingOptions withTimeouts(Duration connect, Duration request) {
        return new HttpEmbeddingOptions(baseUri, model, dimension, apiKey, connect, request, maxInputsPerRequest);
    }

    public HttpEmbeddingOptions withMaxInputsPerRequest(int texts) {
        return new HttpEmbeddingOptions(baseUri, model, dimension, apiKey, connectTimeout, requestTimeout, texts);
    }

    /** The {@code /v1/embeddings} URL under {@link #baseUri()}. */
    public URI embeddingsUri() {
        return embeddingsUri(baseUri);
    }

    static URI embeddingsUri(URI base) {
        String s = base.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s.endsWith("/v1") ? s + "/embeddings" : s + "/v1/embeddings");
    }

    /** Never prints the key: options end up in logs and startup banners. */
    @Override
    public String toString() {
        return "HttpEmbeddingOptions[baseUri=" + baseUri + ", model=" + model + ", dimension=" + dimension
                + ", apiKey=" + (apiKey == null ? "none" : "***") + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", maxInputsPerRequest=" + maxInputsPerRequest + "]";
    }
}
