package dev.sextant.router.rest;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotFoundException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Applies the process role's {@link ApiSurface}: a route of another role is an unknown route here. */
public final class ServedRoutes {

    private final ApiSurface surface;

    public ServedRoutes(ApiSurface surface) {
        this.surface = surface;
    }

    @ServerRequestFilter(preMatching = true, priority = 2000)
    public void only(HttpServerRequest request) {
        if (!surface.serves(request.path())) {
            throw new NotFoundException();
        }
    }
}
