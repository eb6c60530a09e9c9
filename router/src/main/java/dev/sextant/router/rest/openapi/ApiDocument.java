package dev.sextant.router.rest.openapi;

/**
 * What the resources' OpenAPI annotations share: the security scheme's name and meaning (declared on
 * {@code ModelsResource}), media types, and what each error status means. The document's title, version and
 * description are the app's ({@code quarkus.smallrye-openapi.info-*}).
 */
public final class ApiDocument {

    public static final String BEARER = "bearer";
    public static final String BEARER_DESCRIPTION = "An API key, as `Authorization: Bearer <key>`: the admin key "
            + "(`sextant.auth.admin-key`) or one created with `POST /admin/keys`. A server with neither accepts "
            + "requests from loopback without a key (a laptop), and no one else.";
    public static final String JSON = "application/json";
    public static final String EVENT_STREAM = "text/event-stream";

    public static final String BAD_REQUEST = "Invalid request (`invalid_request_error`): a body that is not a JSON "
            + "object, or a field that is missing, of the wrong type or out of range (`param` names it).";
    public static final String UNAUTHORIZED = "No valid API key (`invalid_api_key`): none, an unknown or a revoked "
            + "one; or, on a server without keys, a caller not on loopback.";
    public static final String BUDGET_EXCEEDED = "The request's worst-case cost would exceed a daily or monthly "
            + "budget of the key or its tenant (`insufficient_quota`, `budget_exceeded`). Not a 429: retrying "
            + "cannot help until the budget's period ends.";
    public static final String TOO_LARGE = "The body is larger than `quarkus.http.limits.max-body-size` (2 MiB by "
            + "default; `request_too_large`).";
    public static final String ADMIN_REQUIRED = "The key is not an admin key (`admin_required`).";
    public static final String NOT_SERVED = "This process's role does not serve the route (`not_found`), e.g. chat "
            + "on the embeddings service.";
    public static final String RATE_LIMITED = "Over the key's requests or tokens per minute (`rate_limit_error`, "
            + "`rate_limit_exceeded`; `retry-after` says when to retry), or the server is overloaded (`overloaded`).";
    public static final String UNAVAILABLE = "A service the request needs is unavailable (`server_error`): "
            + "inference, retrieval, embeddings or the limits store (Redis), or a hop's circuit is open or its "
            + "bulkhead full (`<hop>_circuit_open`, `<hop>_bulkhead_full`).";
    public static final String TIMEOUT = "A hop did not answer in time (`<hop>_timeout`).";
    public static final String RETRY_AFTER = "Seconds to wait before retrying.";

    private ApiDocument() {
    }
}
