package dev.sextant.router.rest;

import dev.sextant.openai.error.OpenAiError;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A path no resource and no Quarkus endpoint answers gets OpenAI's JSON 404, not Vert.x's plain text one. */
@ApplicationScoped
public class UnknownRoutes {

    void install(@Observes Router router) {
        router.route().last().handler(rc -> RequestIds.endWithError(rc, 404, new OpenAiError("no route for "
                + rc.request().method() + " " + rc.request().path(), OpenAiError.INVALID_REQUEST, null, "not_found")));
    }
}
