package dev.sextant.router.rest;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;

/** A path no resource and no Quarkus endpoint answers gets OpenAI's JSON 404, not Vert.x's plain text one. */
@ApplicationScoped
public class UnknownRoutes {

    void install(@Observes Router router) {
        router.route().last().handler(rc -> {
            String body = Http.write(Http.errorBody("no route for " + rc.request().method() + " "
                    + rc.request().path(), "invalid_request_error", null, "not_found"));
            String id = rc.request().getHeader(Http.REQUEST_ID_HEADER);
            rc.response().setStatusCode(404).putHeader("content-type", "application/json")
                    .putHeader(Http.REQUEST_ID_HEADER, id != null && !id.isBlank() && id.length() <= 128 ? id
                            : UUID.randomUUID().toString())
                    .end(body);
        });
    }
}
