package dev.sextant.router.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.router.auth.Authenticator.Caller;
import dev.sextant.router.redis.RedisScripts;
import dev.sextant.router.redis.RedisTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyStoreTest {

    static final List<RedisScripts> connections = new ArrayList<>();

    @TempDir
    static Path dir;

    @AfterAll
    static void close() {
        connections.forEach(RedisScripts::close);
    }

    static Stream<Arguments> stores() {
        return Stream.of(
                Arguments.of("file", (Function<String, KeyStore>) name -> new FileKeyStore(dir.resolve(name))),
                Arguments.of("redis", (Function<String, KeyStore>) name -> {
                    RedisScripts redis = new RedisScripts(null, RedisTestServer.require(), Duration.ofSeconds(5));
                    connections.add(redis);
                    return new RedisKeyStore(redis);
                }));
    }

    static ApiKey key(String plaintext, String tenant) {
        String hash = ApiKeys.hash(plaintext);
        return new ApiKey(ApiKeys.idOf(hash), hash, "test", tenant, false, 60, 10_000, 1.5, 20, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void keysAreFoundByHashAndIdAndUpdated(String kind, Function<String, KeyStore> stores) {
        KeyStore store = stores.apply("keys-" + UUID.randomUUID() + ".json");
        String plaintext = ApiKeys.generate();
        ApiKey key = key(plaintext, "tenant-" + UUID.randomUUID());
        store.add(key);
        assertThat(store.isEmpty()).isFalse();
        assertThat(store.findByHash(ApiKeys.hash(plaintext))).contains(key);
        assertThat(store.findById(key.id())).contains(key);
        assertThat(store.findByHash(ApiKeys.hash("sk-sextant-other"))).isEmpty();
        assertThatThrownBy(() -> store.add(key)).hasMessageContaining("exists");

        assertThat(store.update(key.withRevoked(true))).isTrue();
        assertThat(store.findById(key.id()).orElseThrow().revoked()).isTrue();
        assertThat(store.update(key("sk-none", "x"))).isFalse();
        assertThat(store.list()).extracting(ApiKey::id).contains(key.id());
    }

    @Test
    void aKeyWrittenByAnotherProcessIsSeenAndOnlyItsHashIsOnDisk() throws Exception {
        Path file = dir.resolve("shared.json");
        FileKeyStore server = new FileKeyStore(file);
        assertThat(server.isEmpty()).isTrue();
        String plaintext = ApiKeys.generate();
        new FileKeyStore(file).add(key(plaintext, "t"));
        assertThat(server.findByHash(ApiKeys.hash(plaintext))).isPresent();
        assertThat(Files.readString(file)).doesNotContain(plaintext).contains(ApiKeys.hash(plaintext));
    }

    @Test
    void authenticationAcceptsValidKeysAndNamesWhatIsWrongOtherwise() {
        FileKeyStore store = new FileKeyStore(dir.resolve("auth-" + UUID.randomUUID() + ".json"));
        Authenticator open = new Authenticator(store, Optional.empty(), "default");
        assertThat(open.authenticate(null, true).tenant()).isEqualTo("default");
        assertThatThrownBy(() -> open.authenticate(null, false)).hasMessageContaining("loopback only");

        String plaintext = ApiKeys.generate();
        store.add(key(plaintext, "acme"));
        Authenticator auth = new Authenticator(store, Optional.of("admin-secret"), "default");
        Caller caller = auth.authenticate("Bearer " + plaintext, false);
        assertThat(caller.tenant()).isEqualTo("acme");
        assertThat(caller.admin()).isFalse();
        assertThat(auth.authenticate("bearer admin-secret", false).admin()).isTrue();

        assertThatThrownBy(() -> auth.authenticate(null, true)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("missing API key");
        assertThatThrownBy(() -> auth.authenticate("Basic abc", true)).hasMessageContaining("Bearer");
        assertThatThrownBy(() -> auth.authenticate("Bearer sk-sextant-wrong", true))
                .hasMessageContaining("invalid API key");
        assertThatThrownBy(() -> auth.requireAdmin("Bearer " + plaintext, true))
                .satisfies(e -> assertThat(((AuthenticationException) e).reason())
                        .isEqualTo(AuthenticationException.Reason.ADMIN_REQUIRED));
        store.update(store.findByHash(ApiKeys.hash(plaintext)).orElseThrow().withRevoked(true));
        assertThatThrownBy(() -> auth.authenticate("Bearer " + plaintext, true))
                .satisfies(e -> assertThat(((AuthenticationException) e).reason())
                        .isEqualTo(AuthenticationException.Reason.UNAUTHENTICATED))
                .hasMessageContaining("revoked");
    }
}
