package dev.sextant.router.auth;

import java.util.List;
import java.util.Optional;

/** Where API keys live: a file in the data dir for one machine, Redis for replicas. */
public interface KeyStore {

    /** The key with this SHA-256 hash, revoked or not. */
    Optional<ApiKey> findByHash(String hash);

    Optional<ApiKey> findById(String id);

    /** Adds a key (its hash must be new). */
    void add(ApiKey key);

    /** Replaces the stored key with the same id; false when there is none. */
    boolean update(ApiKey key);

    List<ApiKey> list();

    /** Whether no key was ever added (then the server is open on loopback only). */
    boolean isEmpty();
}
