package dev.sextant.inference.bench;

import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.ResponseFormat;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.api.SamplingParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop load: {@code concurrency} clients each take the next prompt as soon as their previous one finished,
 * until all prompts are done. Every request is greedy and generates exactly {@code newTokens} tokens
 * ({@code ignoreEos}), so runs are comparable across engines. Latencies are what a client sees: time to the first
 * {@code onText}, and inter-token latency as the gaps between consecutive {@code onText} calls of one request.
 */
public final class ThroughputBenchmark {

    /** One concurrency level's outcome. */
    public record Result(int concurrency, int requests, long generatedTokens, double seconds, double tokensPerSecond,
                         double ttftP50Millis, double ttftP99Millis, double itlP50Millis, double itlP99Millis) {
    }

    private ThroughputBenchmark() {
    }

    public static Result run(InferenceClient client, List<String> questions, int newTokens, int concurrency) {
        return run(client, questions, newTokens, concurrency, ResponseFormat.TEXT);
    }

    /**
     * The same under {@code format}: with a schema whose shortest document is longer than {@code newTokens}, every
     * request still generates exactly {@code newTokens} tokens, so the two runs differ by the constraint alone.
     */
    public static Result run(InferenceClient client, List<String> questions, int newTokens, int concurrency,
                             ResponseFormat format) {
        AtomicInteger next = new AtomicInteger();
        double[] ttft = new double[questions.size()];
        double[][] gaps = new double[questions.size()][];
        long[] tokens = new long[questions.size()];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                clients.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < questions.size()) {
                        long submitted = System.nanoTime();
                        DeltaClock clock = new DeltaClock(newTokens + 1);
                        GenerationResult r = client.generate(new GenerationRequest(null,
                                Prompt.chat(List.of(new ChatMessage("user", questions.get(i)))), newTokens,
                                List.of(), SamplingParams.GREEDY, Duration.ofMinutes(30), true, format), clock);
                        ttft[i] = (clock.first - submitted) / 1e6;
                        gaps[i] = clock.gapsMillis();
                        tokens[i] = r.completionTokens();
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("benchmark run failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = Arrays.stream(tokens).sum();
        double[] ttftSorted = ttft.clone();
        Arrays.sort(ttftSorted);
        double[] itlSorted = Arrays.stream(gaps).flatMapToDouble(Arrays::stream).sorted().toArray();
        return new Result(concurrency, questions.size(), total, seconds, total / seconds,
                percentile(ttftSorted, 0.50), percentile(ttftSorted, 0.99),
                percentile(itlSorted, 0.50), percentile(itlSorted, 0.99));
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Records when each piece of text arrived; one request's stream, called on one thread at a time. */
    private static final class DeltaClock implements TokenStream {
        private final long[] arrivals;
        private int count;
        long first;

        DeltaClock(int expectedDeltas) {
            arrivals = new long[Math.max(1, expectedDeltas)];
        }

        @Override
        public void onText(String delta) {
            long now = System.nanoTime();
            if (count == 0) {
                first = now;
            }
            if (count < arrivals.length) {
                arrivals[count++] = now;
            }
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        double[] gapsMillis() {
            double[] out = new double[Math.max(0, count - 1)];
            for (int k = 1; k < count; k++) {
                out[k - 1] = (arrivals[k] - arrivals[k - 1]) / 1e6;
            }
            return out;
        }
    }
}
