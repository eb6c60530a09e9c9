package dev.sextant.embeddings.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Dynamic micro-batching across concurrent callers: one worker thread owns the ONNX session, collects the
 * tokenized texts of every caller waiting, sorts them by length and cuts batches bounded in rows and padded tokens.
 *
 * <p>It waits (up to {@code maxWait}) for company only while another caller is still tokenizing, so a lone caller
 * never pays the wait. Large requests enter the queue in slices of {@code maxBatch} texts, so a short query that
 * arrives during a bulk ingest waits for at most one slice, not the whole bulk.
 */
final class MicroBatcher implements AutoCloseable {

    /** Runs one padded batch: one output row per input row, in order. */
    @FunctionalInterface
    interface BatchRunner {
        float[][] run(long[][] tokenIds);
    }

    private record Slice(long[][] ids, int[] positions, Result result) {
    }

    private static final class Result extends CompletableFuture<float[][]> {
        final float[][] vectors;
        final AtomicInteger remaining;

        Result(int size, int slices) {
            vectors = new float[size][];
            remaining = new AtomicInteger(slices);
        }
    }

    private record Row(long[] ids, Slice slice, int position) {
    }

    private final BatchRunner runner;
    private final EmbedderOptions options;
    private final LinkedBlockingQueue<Slice> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger tokenizing = new AtomicInteger();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong texts = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong paddedTokens = new AtomicLong();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    MicroBatcher(String name, BatchRunner runner, EmbedderOptions options) {
        this.runner = runner;
        this.options = options;
        for (int i = 0; i < options.workers(); i++) {
            workers.add(Thread.ofPlatform().daemon().name("sextant-embed-" + name + "-" + i).start(this::loop));
        }
    }

    /** Tokenizes in the caller's thread (counted, so the worker knows company is coming), then waits for vectors. */
    float[][] embed(Supplier<long[][]> tokenize) {
        if (closed) {
            throw new IllegalStateException("embedding model is closed");
        }
        Result result;
        tokenizing.incrementAndGet();
        try {
            long[][] ids = tokenize.get();
            if (ids.length == 0) {
                return new float[0][];
            }
            result = enqueue(ids);
        } finally {
            tokenizing.decrementAndGet();
        }
        return await(result);
    }

    private Result enqueue(long[][] ids) {
        Integer[] order = new Integer[ids.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
        int slices = (ids.length + options.maxBatch() - 1) / options.maxBatch();
        Result result = new Result(ids.length, slices);
        for (int s = 0; s < slices; s++) {
            int from = s * options.maxBatch();
            int to = Math.min(ids.length, from + options.maxBatch());
            long[][] sliceIds = new long[to - from][];
            int[] positions = new int[to - from];
            for (int j = from; j < to; j++) {
                sliceIds[j - from] = ids[order[j]];
                positions[j - from] = order[j];
            }
            queue.add(new Slice(sliceIds, positions, result));
        }
        if (closed) {
            // close() may have drained the queue before these slices arrived.
            failQueued();
        }
        return result;
    }

    private static float[][] await(Result result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embeddings", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    EmbedderStats stats() {
        return new EmbedderStats(batches.get(), texts.get(), tokens.get(), paddedTokens.get());
    }

    private void loop() {
        while (!closed) {
            List<Slice> round = collect();
            if (!round.isEmpty()) {
                run(round);
            }
        }
        failQueued();
    }

    private void failQueued() {
        for (Slice slice; (slice = queue.poll()) != null; ) {
            slice.result().completeExceptionally(new IllegalStateException("embedding model is closed"));
        }
    }

    /** Slices for one round; empty when interrupted by close while idle. */
    private List<Slice> collect() {
        List<Slice> round = new ArrayList<>();
        try {
            round.add(queue.take());
            int rows = round.get(0).ids().length;
            long deadline = System.nanoTime() + options.maxWait().toNanos();
            while (rows < options.maxBatch()) {
                Slice next = queue.poll();
                if (next == null) {
                    long left = deadline - System.nanoTime();
                    if (tokenizing.get() == 0 || left <= 0) {
                        break;
                    }
                    next = queue.poll(Math.min(left, TimeUnit.MICROSECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        continue;
                    }
                }
                round.add(next);
                rows += next.ids().length;
            }
        } catch (InterruptedException e) {
            // close(): what was already taken still runs, so no caller is left waiting.
        }
        return round;
    }

    private void run(List<Slice> round) {
        List<Row> rows = new ArrayList<>();
        for (Slice slice : round) {
            for (int i = 0; i < slice.ids().length; i++) {
                rows.add(new Row(slice.ids()[i], slice, slice.positions()[i]));
            }
        }
        rows.sort(Comparator.comparingInt(r -> r.ids().length));
        try {
            int start = 0;
            while (start < rows.size()) {
                int end = start + 1;
                while (end < rows.size() && end - start < options.maxBatch()
                        && (long) (end - start + 1) * rows.get(end).ids().length <= options.maxBatchTokens()) {
                    end++;
                }
                runBatch(rows.subList(start, end));
                start = end;
            }
            for (Slice slice : round) {
                if (slice.result().remaining.decrementAndGet() == 0) {
                    slice.result().complete(slice.result().vectors);
                }
            }
        } catch (RuntimeException | Error e) {
            round.forEach(slice -> slice.result().completeExceptionally(e));
        }
    }

    private void runBatch(List<Row> batch) {
        long[][] ids = new long[batch.size()][];
        long real = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = batch.get(i).ids();
            real += ids[i].length;
        }
        float[][] vectors = runner.run(ids);
        for (int i = 0; i < ids.length; i++) {
            Row row = batch.get(i);
            row.slice().result().vectors[row.position()] = vectors[i];
        }
        batches.incrementAndGet();
        texts.addAndGet(ids.length);
        tokens.addAndGet(real);
        paddedTokens.addAndGet((long) ids.length * ids[ids.length - 1].length);
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        try {
            for (Thread worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
