package dev.sextant.router.rest;

import dev.sextant.openai.error.OpenAiError;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A path no resource and no Quarkus endpoint answers gets OpenAI's JSON 404, not Vert.x's plain text one. */
@ApplicationScoped
public class UnknownRoutes {

    void install(@Observes Router router) {
        router.route().last().handler(rc -> {
            String body = new OpenAiError("no route for " + rc.request().method() + " " + rc.request().path(),
                    OpenAiError.INVALID_REQUEST, null, "not_found").toJson();
            rc.response().setStatusCode(404).putHeader("content-type", "application/json")
                    .putHeader(Http.REQUEST_ID_HEADER, RequestIds.of(rc.request())).end(body);
        });
    }
}
