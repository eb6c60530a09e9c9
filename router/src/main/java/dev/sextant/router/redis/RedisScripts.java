package dev.sextant.router.redis;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking Redis connection for the router's atomic Lua scripts (rate limits, budgets) and plain commands.
 * Scripts are sent by SHA ({@code EVALSHA}) and loaded on {@code NOSCRIPT}, so a Redis restart is harmless.
 * Every call has a deadline: a Redis that hangs costs a bounded wait, never a stuck request.
 */
public final class RedisScripts implements AutoCloseable {

    /** Redis did not answer in time or is unreachable; callers decide whether to fail open or closed. */
    public static final class RedisUnavailableException extends RuntimeException {
        RedisUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Redis client;
    private final RedisAPI api;
    private final Duration timeout;
    private final ConcurrentHashMap<String, String> shaByScript = new ConcurrentHashMap<>();

    public RedisScripts(Vertx vertx, String url, Duration timeout) {
        this.ownsVertx = vertx == null;
        this.vertx = vertx == null ? Vertx.vertx() : vertx;
        this.client = Redis.createClient(this.vertx, new RedisOptions().setConnectionString(url)
                .setMaxPoolSize(16).setMaxPoolWaiting(256));
        this.api = RedisAPI.api(client);
        this.timeout = timeout;
    }

    /** The text of a script under {@code /redis/} on the classpath. */
    public static String script(String name) {
        try (InputStream in = RedisScripts.class.getResourceAsStream("/redis/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing Redis script /redis/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code script} atomically with the given keys and arguments. */
    public Response eval(String script, List<String> keys, List<String> args) {
        String sha = shaByScript.get(script);
        if (sha != null) {
            try {
                return await(api.evalsha(arguments(sha, keys, args)).toCompletionStage());
            } catch (RedisUnavailableException e) {
                if (e.getCause() == null || !String.valueOf(e.getCause().getMessage()).startsWith("NOSCRIPT")) {
                    throw e;
                }
            }
        }
        String loaded = await(api.script(List.of("LOAD", script)).toCompletionStage()).toString();
        shaByScript.put(script, loaded);
        return await(api.evalsha(arguments(loaded, keys, args)).toCompletionStage());
    }

    /** A plain command, e.g. {@code call("GET", key)}. */
    public Response call(String command, String... args) {
        io.vertx.redis.client.Request request = io.vertx.redis.client.Request.cmd(
                io.vertx.redis.client.Command.create(command));
        for (String arg : args) {
            request.arg(arg);
        }
        return await(client.send(request).toCompletionStage());
    }

    private static List<String> arguments(String sha, List<String> keys, List<String> args) {
        List<String> all = new ArrayList<>(2 + keys.size() + args.size());
        all.add(sha);
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(args);
        return all;
    }

    private <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException("interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            throw new RedisUnavailableException("Redis failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new RedisUnavailableException("Redis did not answer within " + timeout.toMillis() + " ms", e);
        }
    }

    @Override
    public void close() {
        client.close();
        if (ownsVertx) {
            vertx.close();
        }
    }
}
