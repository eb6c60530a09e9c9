package dev.sextant.embeddings.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput of an embedder under two workloads: bulk (ingestion: one caller, requests of many texts) and
 * concurrent (queries: many callers, one text per request). The same texts go to every engine measured.
 */
public final class EmbeddingThroughput {

    /** Embeds the texts of one request; the vectors are not needed here. */
    @FunctionalInterface
    public interface Embedder {
        void embed(List<String> texts);
    }

    public record Measurement(String engine, String workload, int texts, double seconds) {
        public double textsPerSecond() {
            return texts / seconds;
        }
    }

    private EmbeddingThroughput() {
    }

    /** One caller sends {@code texts} in requests of {@code requestSize}, one after another. */
    public static Measurement bulk(String engine, Embedder embedder, List<String> texts, int requestSize) {
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += requestSize) {
            embedder.embed(texts.subList(from, Math.min(texts.size(), from + requestSize)));
        }
        return new Measurement(engine, "bulk/" + requestSize, texts.size(), seconds(start));
    }

    /** {@code clients} callers each send one text per request until all texts are embedded. */
    public static Measurement concurrent(String engine, Embedder embedder, List<String> texts, int clients) {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < texts.size(); ) {
                        embedder.embed(List.of(texts.get(i)));
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            return new Measurement(engine, "concurrent/" + clients, texts.size(), seconds(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("embedder failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
