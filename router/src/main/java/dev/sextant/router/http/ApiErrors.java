package dev.sextant.router.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.embeddings.EmbeddingServiceException;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.router.resilience.HopFailureException;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/** Maps what went wrong to an HTTP status and an OpenAI error body; unexpected failures are logged, not shown. */
public final class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    public static ApiException toApi(RuntimeException e) {
        if (e instanceof ApiException api) {
            return api;
        }
        if (e instanceof InferenceException inference) {
            return switch (inference.kind()) {
                case INVALID_REQUEST -> ApiException.invalid(null, inference.getMessage());
                case OVERLOADED -> new ApiException(429, "rate_limit_error", null, "overloaded",
                        inference.getMessage());
                case INTERNAL -> new ApiException(503, "server_error", null, "inference_unavailable",
                        inference.getMessage());
            };
        }
        if (e instanceof HopFailureException hop) {
            return new ApiException(hop.reason() == HopFailureException.Reason.TIMEOUT ? 504 : 503, "server_error",
                    null, hop.hop().id() + "_" + hop.reason().code(), hop.getMessage());
        }
        if (e instanceof EmbeddingServiceException embeddings) {
            return switch (embeddings.kind()) {
                case REJECTED -> ApiException.invalid(null, embeddings.getMessage());
                case OVERLOADED -> new ApiException(429, "rate_limit_error", null, "embeddings_overloaded",
                        embeddings.getMessage());
                case UNAVAILABLE -> new ApiException(503, "server_error", null, "embeddings_unavailable",
                        embeddings.getMessage());
                case INCOMPATIBLE -> new ApiException(502, "server_error", null, "embeddings_incompatible",
                        embeddings.getMessage());
            };
        }
        LOG.error("request failed", e);
        return new ApiException(500, "server_error", null, null, "internal error; see the server log");
    }

    public static ObjectNode body(RuntimeException e) {
        ApiException api = toApi(e);
        return Http.errorBody(api.getMessage(), api.type(), api.param(), api.code());
    }

    public static void send(RoutingContext rc, RuntimeException e) {
        ApiException api = toApi(e);
        if (api.status() == 429) {
            rc.response().putHeader("retry-after", "1");
        }
        Http.sendError(rc, api);
    }
}
