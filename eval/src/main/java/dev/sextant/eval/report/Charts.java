package dev.sextant.eval.report;

import static dev.sextant.eval.report.Html.escape;
import static dev.sextant.eval.report.Html.finite;
import static dev.sextant.eval.report.Html.xy;

import dev.sextant.eval.suite.SuiteResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * Inline SVG charts drawn in Java: no script, no font or style sheet from elsewhere. Every chart is an
 * {@code <svg class="chart" data-chart="NAME">} with a {@code <title>} and a visible title; every drawn data element
 * carries the class {@code data} (what the browser test counts).
 */
final class Charts {

    static final List<Integer> RECALL_KS = List.of(1, 3, 5, 10);
    static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
    static final String TOTAL_COLOR = "#1f77b4";
    static final String TTFT_COLOR = "#ff7f0e";

    private static final int W = 640;
    private static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int PLOT_H = 220;
    private static final double X0 = LEFT;
    private static final double X1 = W - RIGHT;
    private static final double Y_TOP = TOP;
    private static final double Y0 = TOP + PLOT_H;
    /** Stands for the height until the legend is laid out; escaped text cannot contain it (NUL is replaced). */
    private static final String HEIGHT = "\u0000H";

    private Charts() {
    }

    /** One legend entry. */
    private record Key(String label, String color, boolean dashed) {
    }

    /**
     * Recall@k against k for each retriever mode, k on a linear axis; the baseline's modes dashed in the same
     * colour. Points missing from a mode's metrics are skipped.
     */
    static String recallAtK(Map<String, Map<String, Double>> retrieval, Map<String, Map<String, Double>> baseline) {
        Set<String> modes = new LinkedHashSet<>(retrieval.keySet());
        if (baseline != null) {
            modes.addAll(baseline.keySet());
        }
        List<String> order = List.copyOf(modes);
        StringBuilder svg = new StringBuilder();
        List<Key> keys = new ArrayList<>();
        frameStart(svg, "recall-at-k", "Recall@k by retriever mode");
        yAxis(svg, 1.0, 5, v -> String.format(Locale.ROOT, "%.1f", v), "recall");
        for (int k : RECALL_KS) {
            double x = recallX(k);
            svg.append("<line class=\"tick\" x1=\"").append(xy(x)).append("\" y1=\"").append(xy(Y0))
                    .append("\" x2=\"").append(xy(x)).append("\" y2=\"").append(xy(Y0 + 5)).append("\"/>");
            svg.append("<text class=\"axis\" text-anchor=\"middle\" x=\"").append(xy(x)).append("\" y=\"")
                    .append(xy(Y0 + 20)).append("\">").append(k).append("</text>");
        }
        xLabel(svg, "k (distinct sources retrieved)");
        if (baseline != null) {
            for (Map.Entry<String, Map<String, Double>> mode : baseline.entrySet()) {
                String color = PALETTE[order.indexOf(mode.getKey()) % PALETTE.length];
                if (curve(svg, mode.getKey() + " (baseline)", mode.getValue(), color, true)) {
                    keys.add(new Key(mode.getKey() + " (baseline)", color, true));
                }
            }
        }
        for (Map.Entry<String, Map<String, Double>> mode : retrieval.entrySet()) {
            String color = PALETTE[order.indexOf(mode.getKey()) % PALETTE.length];
            if (curve(svg, mode.getKey(), mode.getValue(), color, false)) {
                keys.add(new Key(mode.getKey(), color, false));
            }
        }
        return frameEnd(svg, keys);
    }

    private static double recallX(int k) {
        return X0 + (k - 1) / 9.0 * (X1 - X0);
    }

    private static boolean curve(StringBuilder svg, String name, Map<String, Double> metrics, String color,
                                 boolean dashed) {
        if (metrics == null) {
            return false;
        }
        List<double[]> points = new ArrayList<>();
        for (int k : RECALL_KS) {
            Double v = metrics.get("recall@" + k);
            if (finite(v)) {
                points.add(new double[] {k, Math.max(0, Math.min(1, v))});
            }
        }
        if (points.isEmpty()) {
            return false;
        }
        String kind = dashed ? "baseline" : "series";
        if (points.size() > 1) {
            svg.append("<polyline class=\"data ").append(kind).append("\" fill=\"none\" stroke=\"").append(color)
                    .append("\" stroke-width=\"2\"").append(dashed ? " stroke-dasharray=\"6 4\"" : "")
                    .append(" points=\"");
            for (double[] p : points) {
                svg.append(xy(recallX((int) p[0]))).append(',').append(xy(y(p[1], 1.0))).append(' ');
            }
            svg.setLength(svg.length() - 1);
            svg.append("\"/>");
        }
        for (double[] p : points) {
            svg.append("<circle class=\"data point ").append(kind).append("\" r=\"4\" cx=\"")
                    .append(xy(recallX((int) p[0]))).append("\" cy=\"").append(xy(y(p[1], 1.0))).append("\" fill=\"")
                    .append(dashed ? "#fff" : color).append("\" stroke=\"").append(color).append("\"><title>")
                    .append(escape(name)).append(" recall@").append((int) p[0]).append(" = ")
                    .append(String.format(Locale.ROOT, "%.3f", p[1])).append("</title></circle>");
        }
        return true;
    }

    /**
     * Histogram of per-question total times and TTFTs (side by side in each bin), with the p50 and p95 of the total
     * time as dashed markers when known. Null when there is no finite value to draw.
     */
    static String latencyHistogram(List<Double> totals, List<Double> ttfts, SuiteResult.Latency totalStats) {
        List<Double> total = totals.stream().filter(Html::finite).filter(v -> v >= 0).toList();
        List<Double> ttft = ttfts.stream().filter(Html::finite).filter(v -> v >= 0).toList();
        if (total.isEmpty() && ttft.isEmpty()) {
            return null;
        }
        double max = 0;
        for (double v : total) {
            max = Math.max(max, v);
        }
        for (double v : ttft) {
            max = Math.max(max, v);
        }
        double width = max == 0 ? 1 : niceStep(max / 10);
        int bins = Math.min(50, (int) Math.floor(max / width) + 1);
        int[] totalCounts = counts(total, width, bins);
        int[] ttftCounts = counts(ttft, width, bins);
        int maxCount = 0;
        for (int b = 0; b < bins; b++) {
            maxCount = Math.max(maxCount, Math.max(totalCounts[b], ttftCounts[b]));
        }
        double yMax = maxCount <= 5 ? Math.max(1, maxCount) : niceCeil(maxCount);
        int ticks = yMax <= 5 ? (int) yMax : 5;
        double xMax = bins * width;

        StringBuilder svg = new StringBuilder();
        List<Key> keys = new ArrayList<>();
        frameStart(svg, "latency-histogram", "Latency per question (histogram)");
        yAxis(svg, yMax, ticks, v -> String.format(Locale.ROOT, "%.0f", v), "questions");
        int labelEvery = bins <= 12 ? 1 : (bins + 11) / 12;
        for (int b = 0; b <= bins; b++) {
            double x = X0 + b * (X1 - X0) / bins;
            svg.append("<line class=\"tick\" x1=\"").append(xy(x)).append("\" y1=\"").append(xy(Y0))
                    .append("\" x2=\"").append(xy(x)).append("\" y2=\"").append(xy(Y0 + 5)).append("\"/>");
            if (b % labelEvery == 0) {
                svg.append("<text class=\"axis\" text-anchor=\"middle\" x=\"").append(xy(x)).append("\" y=\"")
                        .append(xy(Y0 + 20)).append("\">").append(ms(b * width, width)).append("</text>");
            }
        }
        xLabel(svg, "milliseconds");
        double band = (X1 - X0) / bins;
        boolean both = !total.isEmpty() && !ttft.isEmpty();
        double barW = both ? band * 0.4 : band * 0.8;
        for (int b = 0; b < bins; b++) {
            double left = X0 + b * band + band * 0.1;
            String range = ms(b * width, width) + "\u2013" + ms((b + 1) * width, width) + " ms";
            if (!total.isEmpty()) {
                bar(svg, left, barW, totalCounts[b], yMax, TOTAL_COLOR,
                        "total " + range + ": " + totalCounts[b] + " question(s)");
            }
            if (!ttft.isEmpty()) {
                bar(svg, both ? left + barW : left, barW, ttftCounts[b], yMax, TTFT_COLOR,
                        "TTFT " + range + ": " + ttftCounts[b] + " question(s)");
            }
        }
        if (!total.isEmpty()) {
            keys.add(new Key("total time", TOTAL_COLOR, false));
        }
        if (!ttft.isEmpty()) {
            keys.add(new Key("time to first token", TTFT_COLOR, false));
        }
        if (totalStats != null && totalStats.count() > 0) {
            marker(svg, totalStats.p50Ms(), xMax, "p50");
            marker(svg, totalStats.p95Ms(), xMax, "p95");
        }
        return frameEnd(svg, keys);
    }

    private static int[] counts(List<Double> values, double width, int bins) {
        int[] counts = new int[bins];
        for (double v : values) {
            counts[Math.min(bins - 1, (int) Math.floor(v / width))]++;
        }
        return counts;
    }

    private static String ms(double value, double step) {
        return String.format(Locale.ROOT, step >= 1 ? "%.0f" : step >= 0.1 ? "%.1f" : "%.2f", value);
    }

    private static void marker(StringBuilder svg, double valueMs, double xMax, String label) {
        if (!finite(valueMs) || valueMs > xMax) {
            return;
        }
        double x = X0 + valueMs / xMax * (X1 - X0);
        svg.append("<line class=\"marker\" stroke=\"#444\" stroke-dasharray=\"3 3\" x1=\"").append(xy(x))
                .append("\" y1=\"").append(xy(Y_TOP)).append("\" x2=\"").append(xy(x)).append("\" y2=\"")
                .append(xy(Y0)).append("\"><title>total ").append(label).append(' ')
                .append(String.format(Locale.ROOT, "%.1f", valueMs)).append(" ms</title></line>");
        svg.append("<text class=\"axis\" x=\"").append(xy(x + 3)).append("\" y=\"").append(xy(Y_TOP + 10))
                .append("\">").append(label).append("</text>");
    }

    /**
     * One bar per question (in suite order) with its cost in dollars, and the mean per question as a dashed line.
     * Null when no question has a finite cost.
     */
    static String costPerQuestion(List<String> ids, List<Double> costs, double meanUsd) {
        double max = 0;
        boolean any = false;
        for (Double c : costs) {
            if (finite(c)) {
                any = true;
                max = Math.max(max, c);
            }
        }
        if (!any) {
            return null;
        }
        if (finite(meanUsd)) {
            max = Math.max(max, meanUsd);
        }
        double yMax = max <= 0 ? 0.001 : niceCeil(max);
        StringBuilder svg = new StringBuilder();
        frameStart(svg, "cost-per-question", "Cost per question");
        yAxis(svg, yMax, 5, Html::usd, "USD");
        int n = costs.size();
        double band = (X1 - X0) / n;
        double barW = Math.max(1, band * 0.8);
        int labelEvery = n <= 16 ? 1 : (n + 15) / 16;
        for (int i = 0; i < n; i++) {
            String id = ids.get(i) == null ? "#" + (i + 1) : ids.get(i);
            double left = X0 + i * band + (band - barW) / 2;
            Double c = costs.get(i);
            if (finite(c)) {
                bar(svg, left, barW, Math.max(0, c), yMax, TOTAL_COLOR, id + ": " + Html.usd(c));
            }
            if (i % labelEvery == 0) {
                double x = left + barW / 2;
                String label = id.length() > 12 ? id.substring(0, 11) + "\u2026" : id;
                svg.append("<text class=\"axis\" text-anchor=\"end\" transform=\"rotate(-35 ").append(xy(x))
                        .append(' ').append(xy(Y0 + 12)).append(")\" x=\"").append(xy(x)).append("\" y=\"")
                        .append(xy(Y0 + 12)).append("\">").append(escape(label)).append("</text>");
            }
        }
        List<Key> keys = new ArrayList<>();
        keys.add(new Key("cost of the question", TOTAL_COLOR, false));
        if (finite(meanUsd)) {
            double y = y(meanUsd, yMax);
            svg.append("<line class=\"marker\" stroke=\"#444\" stroke-dasharray=\"6 4\" x1=\"").append(xy(X0))
                    .append("\" y1=\"").append(xy(y)).append("\" x2=\"").append(xy(X1)).append("\" y2=\"")
                    .append(xy(y)).append("\"><title>mean ").append(Html.usd(meanUsd)).append("</title></line>");
            keys.add(new Key("mean " + Html.usd(meanUsd), "#444", true));
        }
        return frameEnd(svg, keys, 56);
    }

    // ------------------------------------------------------------ frame

    private static void bar(StringBuilder svg, double left, double width, double value, double yMax, String color,
                            String tooltip) {
        double top = y(value, yMax);
        svg.append("<rect class=\"data bar\" x=\"").append(xy(left)).append("\" y=\"").append(xy(top))
                .append("\" width=\"").append(xy(width)).append("\" height=\"").append(xy(Y0 - top))
                .append("\" fill=\"").append(color).append("\"><title>").append(escape(tooltip))
                .append("</title></rect>");
    }

    private static double y(double value, double yMax) {
        return Y0 - Math.min(value, yMax) / yMax * (Y0 - Y_TOP);
    }

    private static void frameStart(StringBuilder svg, String name, String title) {
        svg.append("<svg class=\"chart\" data-chart=\"").append(name).append("\" role=\"img\" aria-labelledby=\"")
                .append(name).append("-title\" width=\"").append(W).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(HEIGHT).append("\">");
        svg.append("<title id=\"").append(name).append("-title\">").append(escape(title)).append("</title>");
        svg.append("<rect class=\"bg\" x=\"0\" y=\"0\" width=\"").append(W).append("\" height=\"").append(HEIGHT)
                .append("\" fill=\"#fff\"/>");
        svg.append("<text class=\"title\" x=\"").append(W / 2).append("\" y=\"22\" text-anchor=\"middle\">")
                .append(escape(title)).append("</text>");
    }

    private static void yAxis(StringBuilder svg, double yMax, int intervals, DoubleFunction<String> format,
                              String label) {
        for (int i = 0; i <= intervals; i++) {
            double v = yMax * i / intervals;
            double y = y(v, yMax);
            svg.append("<line class=\"grid\" x1=\"").append(xy(X0)).append("\" y1=\"").append(xy(y))
                    .append("\" x2=\"").append(xy(X1)).append("\" y2=\"").append(xy(y)).append("\"/>");
            svg.append("<text class=\"axis\" text-anchor=\"end\" x=\"").append(xy(X0 - 6)).append("\" y=\"")
                    .append(xy(y + 4)).append("\">").append(escape(format.apply(v))).append("</text>");
        }
        svg.append("<line class=\"axis-line\" x1=\"").append(xy(X0)).append("\" y1=\"").append(xy(Y_TOP))
                .append("\" x2=\"").append(xy(X0)).append("\" y2=\"").append(xy(Y0)).append("\"/>");
        svg.append("<line class=\"axis-line\" x1=\"").append(xy(X0)).append("\" y1=\"").append(xy(Y0))
                .append("\" x2=\"").append(xy(X1)).append("\" y2=\"").append(xy(Y0)).append("\"/>");
        double mid = (Y_TOP + Y0) / 2;
        svg.append("<text class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90 14 ").append(xy(mid))
                .append(")\" x=\"14\" y=\"").append(xy(mid)).append("\">").append(escape(label)).append("</text>");
    }

    private static void xLabel(StringBuilder svg, String label) {
        svg.append("<text class=\"axis-label\" text-anchor=\"middle\" x=\"").append(xy((X0 + X1) / 2))
                .append("\" y=\"").append(xy(Y0 + 40)).append("\">").append(escape(label)).append("</text>");
    }

    private static String frameEnd(StringBuilder svg, List<Key> keys) {
        return frameEnd(svg, keys, 40);
    }

    /** Lays the legend out in rows under the x axis label, then fixes the height. */
    private static String frameEnd(StringBuilder svg, List<Key> keys, int belowAxis) {
        double top = Y0 + belowAxis + 14;
        double x = X0;
        double y = top;
        for (Key key : keys) {
            double width = 34 + key.label().length() * 7;
            if (x + width > X1 && x > X0) {
                x = X0;
                y += 18;
            }
            svg.append("<line class=\"legend\" x1=\"").append(xy(x)).append("\" y1=\"").append(xy(y - 4))
                    .append("\" x2=\"").append(xy(x + 22)).append("\" y2=\"").append(xy(y - 4))
                    .append("\" stroke=\"").append(key.color()).append("\" stroke-width=\"")
                    .append(key.dashed() ? "2\" stroke-dasharray=\"6 4\"" : "6\"").append("/>");
            svg.append("<text class=\"legend\" x=\"").append(xy(x + 28)).append("\" y=\"").append(xy(y))
                    .append("\">").append(escape(key.label())).append("</text>");
            x += width;
        }
        int height = (int) Math.ceil(y + 14);
        svg.append("</svg>");
        return svg.toString().replace(HEIGHT, Integer.toString(height));
    }

    // ------------------------------------------------------------ scales

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code x} (1 for x &le; 0). */
    static double niceCeil(double x) {
        if (!(x > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(x)));
        double f = x / magnitude;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /** A bin width: {@link #niceCeil} of the raw width. */
    static double niceStep(double raw) {
        return niceCeil(raw);
    }
}
