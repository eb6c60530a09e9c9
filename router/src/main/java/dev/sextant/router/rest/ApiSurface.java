package dev.sextant.router.rest;

import java.util.List;

/**
 * The API routes this process serves, decided once by its role when the application is wired (the inference
 * service has no retrieval, the embeddings service no chat): requests for the others get the JSON 404 of an unknown
 * route. Paths outside {@code /v1/} and {@code /admin/} (health, metrics, OpenAPI) are not the API's.
 *
 * @param routes path prefixes, e.g. {@code /v1/chat/completions} or {@code /admin/}
 */
public record ApiSurface(List<String> routes) {

    public static final String CHAT = "/v1/chat/completions";
    public static final String COMPLETIONS = "/v1/completions";
    public static final String RETRIEVE = "/v1/retrieve";
    public static final String EMBEDDINGS = "/v1/embeddings";
    public static final String MODELS = "/v1/models";
    public static final String ADMIN = "/admin/";

    public ApiSurface {
        routes = List.copyOf(routes);
    }

    public boolean serves(String path) {
        if (!path.startsWith("/v1/") && !path.startsWith(ADMIN)) {
            return true;
        }
        for (String route : routes) {
            if (path.startsWith(route)) {
                return true;
            }
        }
        return false;
    }
}
