package dev.sextant.router.rest;

import dev.sextant.openai.error.OpenAiError;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

/**
 * Reads POST and PATCH bodies whole on the event loop before a resource runs. Without it a blocking resource reads its
 * body on the worker thread through a blocking stream that waits for the event loop chunk by chunk (the largest
 * framework cost in the router's profile); Quarkus REST uses a body read here as it is. A body over
 * {@code quarkus.http.limits.max-body-size} is a JSON 413.
 */
@ApplicationScoped
public class RequestBodies {

    // getBody/setBody: Quarkus REST reads the body through RoutingContext.getBody(), so that is what must be set.
    @SuppressWarnings("deprecation")
    void install(@Observes Router router, Config config) {
        // Read here rather than with @ConfigProperty, whose class carries OSGi annotations javac warns about.
        MemorySize limit = config.getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .orElse(new MemorySize(java.math.BigInteger.valueOf(10L << 20)));
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(limit.asLongValue());
        router.route().method(HttpMethod.POST).method(HttpMethod.PATCH).order(Integer.MIN_VALUE)
                .handler(rc -> {
                    // HTTP/2 (also an h2c upgrade) streams are read by Quarkus REST itself: it pauses the request,
                    // which fails once a body handler has read it to its end.
                    HttpVersion version = rc.request().version();
                    if (version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0) {
                        bodies.handle(rc);
                    } else {
                        rc.next();
                    }
                })
                // An empty body leaves no buffer, and Quarkus REST would then wait for a body that already ended.
                .handler(rc -> {
                    if (rc.getBody() == null && rc.request().isEnded()) {
                        rc.setBody(Buffer.buffer());
                    }
                    rc.next();
                })
                .failureHandler(rc -> {
                    if (rc.statusCode() != 413 || rc.response().headWritten()) {
                        rc.next();
                        return;
                    }
                    RequestIds.endWithError(rc, 413, new OpenAiError("request body is larger than "
                            + limit.asLongValue() + " bytes", OpenAiError.INVALID_REQUEST, null, "request_too_large"));
                });
    }
}
