package dev.sextant.router.budget;

import java.util.Map;

/** Dollars per million tokens per model, turned into integer nano-dollars per request (rounded up). */
public final class PriceTable {

    /** Prices of one model in dollars per million tokens. */
    public record Price(double promptPerMillion, double completionPerMillion, double embeddingPerMillion) {
    }

    private final Price fallback;
    private final Map<String, Price> byModel;

    public PriceTable(Price fallback, Map<String, Price> byModel) {
        this.fallback = fallback;
        this.byModel = Map.copyOf(byModel);
    }

    public Price of(String model) {
        return byModel.getOrDefault(model, fallback);
    }

    public long chatNanos(String model, long promptTokens, long completionTokens) {
        Price price = of(model);
        return nanos(price.promptPerMillion(), promptTokens) + nanos(price.completionPerMillion(), completionTokens);
    }

    public long embeddingNanos(String model, long tokens) {
        return nanos(of(model).embeddingPerMillion(), tokens);
    }

    /** $/million tokens = 1000 nano-dollars per token per dollar. */
    private static long nanos(double dollarsPerMillion, long tokens) {
        return (long) Math.ceil(dollarsPerMillion * 1000.0 * tokens);
    }

    public static long dollarsToNanos(double dollars) {
        return Math.round(dollars * 1e9);
    }

    public static double nanosToDollars(long nanos) {
        return nanos / 1e9;
    }
}
