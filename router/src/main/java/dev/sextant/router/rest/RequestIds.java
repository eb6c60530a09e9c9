package dev.sextant.router.rest;

import dev.sextant.openai.error.OpenAiError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Every API response carries an {@code x-request-id} (the client's, or a new one) that also tags its log lines. */
public final class RequestIds {

    private static final String PROPERTY = "sextant.request-id";

    @ServerRequestFilter(preMatching = true, priority = 1000)
    public void begin(ContainerRequestContext context, HttpServerRequest request) {
        String id = of(request);
        context.setProperty(PROPERTY, id);
        MDC.put("requestId", id);
    }

    /** The client's request id when it sent a usable one, else a new one. */
    static String of(HttpServerRequest request) {
        String id = request.getHeader(Http.REQUEST_ID_HEADER);
        return id == null || id.isBlank() || id.length() > 128 ? UUID.randomUUID().toString() : id;
    }

    /**
     * Ends a request that no resource handles (Vert.x routes: unknown paths, bodies over the limit) with OpenAI's
     * JSON error body and the request's id, as resources answer through {@link ApiErrors}.
     */
    static void endWithError(RoutingContext rc, int status, OpenAiError error) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader(Http.REQUEST_ID_HEADER, of(rc.request())).end(error.toJson());
    }

    @ServerResponseFilter
    public void end(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle(Http.REQUEST_ID_HEADER, id);
        }
    }
}
