package dev.sextant.router.rest;

import dev.sextant.embeddings.EmbeddingServiceException;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.openai.error.OpenAiError;
import dev.sextant.router.admission.AdmissionException;
import dev.sextant.router.auth.AuthenticationException;
import dev.sextant.router.chat.RetrievalUnavailableException;
import dev.sextant.router.resilience.HopFailureException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where what went wrong becomes an HTTP status and an OpenAI error body
 * ({@code {"error": {"message", "type", "param", "code"}}}); unexpected failures are logged, not shown.
 */
public final class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @ServerExceptionMapper
    public Response map(RuntimeException e, HttpServerRequest request) {
        if (e instanceof WebApplicationException web) {
            return framework(web, request);
        }
        return response(e);
    }

    /** The error response for a failure (headers such as {@code retry-after} included). */
    public static Response response(RuntimeException e) {
        ApiException api = toApi(e);
        Map<String, String> headers = new LinkedHashMap<>();
        if (e instanceof AdmissionException admission) {
            headers.putAll(admission.headers());
        }
        if (api.status() == 429) {
            headers.putIfAbsent("retry-after", "1");
        }
        return Http.json(api.status(), error(api).toJsonNode(), headers);
    }

    /** What JAX-RS itself refused: an unknown route, a wrong method or media type. */
    private static Response framework(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        String message = switch (status) {
            case 404 -> "no route for " + request.method() + " " + request.path();
            case 405 -> request.method() + " is not allowed on " + request.path();
            default -> e.getMessage();
        };
        String code = status == 404 ? "not_found" : status == 405 ? "method_not_allowed" : null;
        return Http.json(status, new OpenAiError(message, OpenAiError.INVALID_REQUEST, null, code).toJsonNode());
    }

    /** The OpenAI error a failure is reported as (in a response body, or as a stream's last event). */
    public static OpenAiError error(RuntimeException e) {
        return error(toApi(e));
    }

    private static OpenAiError error(ApiException api) {
        return new OpenAiError(api.getMessage(), api.type(), api.param(), api.code());
    }

    static ApiException toApi(RuntimeException e) {
        return switch (e) {
            case ApiException api -> api;
            case AuthenticationException auth -> auth.reason() == AuthenticationException.Reason.UNAUTHENTICATED
                    ? new ApiException(401, "invalid_request_error", null, "invalid_api_key", auth.getMessage())
                    : new ApiException(403, "invalid_request_error", null, "admin_required", auth.getMessage());
            case AdmissionException admission -> switch (admission.reason()) {
                case RATE_LIMITED -> new ApiException(429, "rate_limit_error", null, "rate_limit_exceeded",
                        admission.getMessage());
                // 402 rather than 429: OpenAI SDKs retry 429 automatically, which cannot help until the window resets.
                case BUDGET_EXCEEDED -> new ApiException(402, "insufficient_quota", null, "budget_exceeded",
                        admission.getMessage());
                case LIMITS_UNAVAILABLE -> new ApiException(503, "server_error", null, "limits_unavailable",
                        admission.getMessage());
            };
            case RetrievalUnavailableException retrieval -> new ApiException(503, "server_error", null,
                    "retrieval_unavailable", retrieval.getMessage());
            case InferenceException inference -> switch (inference.kind()) {
                case INVALID_REQUEST -> ApiException.invalid(null, inference.getMessage());
                case MODEL_NOT_FOUND -> ApiException.modelNotFound(inference.getMessage());
                case OVERLOADED -> new ApiException(429, "rate_limit_error", null, "overloaded",
                        inference.getMessage());
                case INTERNAL -> new ApiException(503, "server_error", null, "inference_unavailable",
                        inference.getMessage());
            };
            case HopFailureException hop -> new ApiException(
                    hop.reason() == HopFailureException.Reason.TIMEOUT ? 504 : 503, "server_error", null,
                    hop.hop().id() + "_" + hop.reason().code(), hop.getMessage());
            case EmbeddingServiceException embeddings -> switch (embeddings.kind()) {
                case REJECTED -> ApiException.invalid(null, embeddings.getMessage());
                case OVERLOADED -> new ApiException(429, "rate_limit_error", null, "embeddings_overloaded",
                        embeddings.getMessage());
                case UNAVAILABLE -> new ApiException(503, "server_error", null, "embeddings_unavailable",
                        embeddings.getMessage());
                case INCOMPATIBLE -> new ApiException(502, "server_error", null, "embeddings_incompatible",
                        embeddings.getMessage());
            };
            default -> {
                LOG.error("request failed", e);
                yield new ApiException(500, "server_error", null, null, "internal error; see the server log");
            }
        };
    }
}
