package dev.sextant.inference.bench;

import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceClient;
import dev.sextant.inference.api.Prompt;
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
 * ({@code ignoreEos}), so runs are comparable across engines.
 */
public final class ThroughputBenchmark {

    /** One concurrency level's outcome. */
    public record Result(int concurrency, int requests, long generatedTokens, double seconds, double tokensPerSecond,
                         double ttftP50Millis, double ttftP99Millis) {
    }

    private ThroughputBenchmark() {
    }

    public static Result run(InferenceClient client, List<String> questions, int newTokens, int concurrency) {
        AtomicInteger next = new AtomicInteger();
        double[] ttft = new double[questions.size()];
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
                        long[] first = {0};
                        GenerationResult r = client.generate(new GenerationRequest(null,
                                Prompt.chat(List.of(new ChatMessage("user", questions.get(i)))), newTokens,
                                List.of(), SamplingParams.GREEDY, Duration.ofMinutes(30), true), new TokenStream() {
                                    @Override
                                    public void onText(String delta) {
                                        if (first[0] == 0) {
                                            first[0] = System.nanoTime();
                                        }
                                    }

                                    @Override
                                    public boolean isCancelled() {
                                        return false;
                                    }
                                });
                        ttft[i] = (first[0] - submitted) / 1e6;
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
        double[] sorted = ttft.clone();
        Arrays.sort(sorted);
        return new Result(concurrency, questions.size(), total, seconds, total / seconds, percentile(sorted, 0.50),
                percentile(sorted, 0.99));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
