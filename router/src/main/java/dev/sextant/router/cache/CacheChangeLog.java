package dev.sextant.router.cache;

import dev.sextant.openai.embeddings.Float32Base64;
import dev.sextant.router.redis.RedisScripts;
import dev.sextant.router.redis.RedisScripts.RedisUnavailableException;
import io.vertx.redis.client.Response;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The Redis stream through which routers sharing a cache keep their local {@link SemanticIndex} in step: each
 * router publishes the entries it adds and removes (and flushes), and one follower thread per router applies every
 * router's changes, its own included, replayed from the start of the stream when the router starts. Callers
 * synchronise on the index, as the follower does.
 */
final class CacheChangeLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CacheChangeLog.class);
    private static final String STREAM_LENGTH = "100000";

    private final RedisScripts redis;
    private final String stream;
    private final SemanticIndex index;
    private final Consumer<RedisUnavailableException> unavailable;
    private final Thread follower;
    private volatile boolean closed;
    private String lastEventId = "0-0";

    CacheChangeLog(RedisScripts redis, String stream, SemanticIndex index,
                   Consumer<RedisUnavailableException> unavailable) {
        this.redis = redis;
        this.stream = stream;
        this.index = index;
        this.unavailable = unavailable;
        this.follower = Thread.ofPlatform().daemon().name("sextant-cache-follower").start(this::follow);
    }

    void added(String scopeId, String id, float[] vector) {
        redis.call("XADD", stream, "MAXLEN", "~", STREAM_LENGTH, "*", "op", "add", "id", id, "scope", scopeId,
                "vector", Float32Base64.encode(vector));
    }

    void removed(String id) {
        redis.call("XADD", stream, "MAXLEN", "~", STREAM_LENGTH, "*", "op", "del", "id", id);
    }

    void flushed() {
        redis.call("XADD", stream, "MAXLEN", "~", STREAM_LENGTH, "*", "op", "flush");
    }

    /** Tails the stream into the local index; reconnects after failures. */
    private void follow() {
        while (!closed) {
            try {
                Response batch = redis.call("XREAD", "COUNT", "500", "BLOCK", "200", "STREAMS", stream,
                        lastEventId);
                if (batch == null) {
                    continue;
                }
                for (Response event : events(batch)) {
                    lastEventId = event.get(0).toString();
                    apply(event.get(1));
                }
            } catch (RedisUnavailableException e) {
                if (closed) {
                    return;
                }
                unavailable.accept(e);
                pause();
            } catch (RuntimeException e) {
                LOG.warnf("cache follower: %s", e.toString());
                pause();
            }
        }
    }

    /** XREAD's events of our one stream: RESP3 answers a map keyed by stream name, RESP2 an array of pairs. */
    private static Response events(Response batch) {
        Set<String> keys;
        try {
            keys = batch.getKeys();
        } catch (RuntimeException notAMap) {
            return batch.get(0).get(1);
        }
        return batch.get(keys.iterator().next());
    }

    private void apply(Response fields) {
        String op = null;
        String id = null;
        String scope = null;
        String vector = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String value = fields.get(i + 1).toString();
            switch (fields.get(i).toString()) {
                case "op" -> op = value;
                case "id" -> id = value;
                case "scope" -> scope = value;
                case "vector" -> vector = value;
                default -> {
                }
            }
        }
        synchronized (index) {
            switch (String.valueOf(op)) {
                case "add" -> index.add(scope, id, Float32Base64.decode(vector));
                case "del" -> index.remove(id);
                case "flush" -> index.clear();
                default -> {
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        follower.interrupt();
    }
}
