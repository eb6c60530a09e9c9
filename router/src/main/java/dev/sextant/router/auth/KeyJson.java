package dev.sextant.router.auth;

import com.fasterxml.jackson.databind.ObjectMapper;

/** How stored keys are written (the key file, Redis hashes): the key stores' own format, not the API's. */
final class KeyJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private KeyJson() {
    }
}
