package dev.sextant.embeddings.remote;

import dev.sextant.embeddings.EmbeddingServiceException;
import dev.sextant.openai.WireFormatException;
import dev.sextant.openai.embeddings.EmbeddingsRequest;
import dev.sextant.openai.embeddings.EmbeddingsResponse;
import dev.sextant.openai.embeddings.EncodingFormat;
import dev.sextant.openai.error.OpenAiError;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code /v1/embeddings} URL behind one shared {@link HttpClient}: sends a slice of texts and turns every way
 * that can fail into an {@link EmbeddingServiceException} whose kind says whether to retry. Thread-safe.
 */
final class EmbeddingsEndpoint implements AutoCloseable {

    private final URI uri;
    private final String where;
    private final String apiKey;
    private final Duration requestTimeout;
    private final HttpClient http;

    EmbeddingsEndpoint(URI uri, String apiKey, Duration connectTimeout, Duration requestTimeout) {
        this.uri = uri;
        this.where = "embeddings service " + uri;
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: the sextant service and most OpenAI-compatible servers speak it; no h2c upgrade dance.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .build();
    }

    /** Names the service in messages: its URL, never the key. */
    String where() {
        return where;
    }

    /**
     * Embeds {@code texts} in one HTTP request; {@code model} may be null to take the service's default. Asks for
     * base64: a 384-float vector is ~2 KB of base64 against ~4 KB of decimal text, and decodes faster.
     */
    EmbeddingsResponse embed(List<String> texts, String model) {
        byte[] body = post(EmbeddingsRequest.of(texts, model, EncodingFormat.BASE64).toJson());
        try {
            return EmbeddingsResponse.parse(body, texts.size());
        } catch (WireFormatException e) {
            if (e.problem() == WireFormatException.Problem.INCONSISTENT) {
                throw EmbeddingServiceException.incompatible(where + ": " + e.getMessage());
            }
            // A mangled body is most likely a transport or proxy fault: the same request may well succeed again.
            throw EmbeddingServiceException.unavailable(where + " returned a broken body: " + e.getMessage(), 200, e);
        }
    }

    private byte[] post(byte[] json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (apiKey != null) {
            request.header("authorization", "Bearer " + apiKey);
        }
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // HttpRequest.timeout only bounds the wait for the response headers; a server that stalls mid-body
            // would hold the caller forever. Waiting on the whole exchange bounds the body too.
            response = pending.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw EmbeddingServiceException.unavailable(where + ": no complete response within " + requestTimeout,
                    0, e);
        } catch (ExecutionException e) {
            throw EmbeddingServiceException.unavailable(where + ": " + describe(e.getCause()), 0, e.getCause());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw EmbeddingServiceException.unavailable(where + ": interrupted while waiting for the response", 0,
                    e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        throw failure(status, response);
    }

    private EmbeddingServiceException failure(int status, HttpResponse<byte[]> response) {
        String message = where + " answered " + status + ": " + OpenAiError.describe(response.body());
        if (status == 429) {
            long retryAfter = response.headers().firstValue("retry-after").map(EmbeddingsEndpoint::retryAfterSeconds)
                    .orElse(-1L);
            return EmbeddingServiceException.overloaded(retryAfter < 0 ? message
                    : message + " (retry after " + retryAfter + " s)", retryAfter);
        }
        // 408: the server gave up waiting for our request; the request itself was fine.
        if (status >= 400 && status < 500 && status != 408) {
            return EmbeddingServiceException.rejected(message, status);
        }
        return EmbeddingServiceException.unavailable(message, status, null);
    }

    /** Retry-After as delay seconds or as an HTTP date; negative when it is neither. */
    static long retryAfterSeconds(String header) {
        String value = header.strip();
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toSeconds());
            } catch (DateTimeParseException notADate) {
                return -1;
            }
        }
    }

    private static String describe(Throwable cause) {
        // The HTTP client's ConnectException usually has no message; the type is the news.
        String detail = cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timed out" + detail;
        }
        if (cause instanceof HttpTimeoutException) {
            return "request timed out" + detail;
        }
        if (cause instanceof ConnectException) {
            return "cannot connect" + detail;
        }
        return "request failed: " + cause.getClass().getSimpleName() + detail;
    }

    @Override
    public void close() {
        http.close();
    }
}
