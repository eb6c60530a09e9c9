package dev.sextant.router.http;

import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** JSON instead of the default HTML pages for unknown routes and wrong methods. */
@ApplicationScoped
public class FallbackRoutes {

    @Route(path = "/*", order = Integer.MAX_VALUE - 1)
    void notFound(RoutingContext rc) {
        Http.sendError(rc, Http.notFound(rc));
    }
}
