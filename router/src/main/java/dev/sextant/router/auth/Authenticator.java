package dev.sextant.router.auth;

import java.util.Optional;

/**
 * Who is calling: {@code Authorization: Bearer KEY} looked up by hash. With no key stored and no admin key
 * configured, the server is open on loopback only (a laptop), and refuses everyone else.
 */
public final class Authenticator {

    /** The caller of one request; {@code key} is null for the admin key and for open loopback mode. */
    public record Caller(ApiKey key, String tenant, boolean admin) {
        public String id() {
            return key == null ? (admin ? "admin" : "anonymous") : key.id();
        }
    }

    private final KeyStore store;
    private final Optional<String> adminKeyHash;
    private final String defaultTenant;

    public Authenticator(KeyStore store, Optional<String> adminKey, String defaultTenant) {
        this.store = store;
        this.adminKeyHash = adminKey.filter(k -> !k.isBlank()).map(ApiKeys::hash);
        this.defaultTenant = defaultTenant;
    }

    /** Whether keys are required at all (an admin key is configured or a key was ever created). */
    public boolean keysRequired() {
        return adminKeyHash.isPresent() || !store.isEmpty();
    }

    public Caller authenticate(String authorization, boolean fromLoopback) {
        if (!keysRequired()) {
            if (fromLoopback) {
                return new Caller(null, defaultTenant, true);
            }
            throw unauthorized("this server has no API keys configured and accepts requests from loopback only");
        }
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("missing API key: send the header 'Authorization: Bearer YOUR_KEY'");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("the Authorization header must be 'Bearer YOUR_KEY'");
        }
        String hash = ApiKeys.hash(authorization.substring(7).strip());
        if (adminKeyHash.isPresent() && adminKeyHash.get().equals(hash)) {
            return new Caller(null, defaultTenant, true);
        }
        ApiKey key = store.findByHash(hash)
                .orElseThrow(() -> unauthorized("invalid API key"));
        if (key.revoked()) {
            throw unauthorized("API key " + key.id() + " was revoked");
        }
        return new Caller(key, key.tenant(), key.admin());
    }

    /** Admin endpoints: only the admin key or a key created with admin rights. */
    public Caller requireAdmin(String authorization, boolean fromLoopback) {
        Caller caller = authenticate(authorization, fromLoopback);
        if (!caller.admin()) {
            throw new AuthenticationException(AuthenticationException.Reason.ADMIN_REQUIRED,
                    "this endpoint needs an admin key");
        }
        return caller;
    }

    private static AuthenticationException unauthorized(String message) {
        return new AuthenticationException(AuthenticationException.Reason.UNAUTHENTICATED, message);
    }
}
