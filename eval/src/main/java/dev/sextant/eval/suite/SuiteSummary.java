package dev.sextant.eval.suite;

import java.util.Locale;
import java.util.Map;

/** The Markdown summary printed for CI logs: every metric, its baseline and the verdict. */
public final class SuiteSummary {

    private SuiteSummary() {
    }

    public static String markdown(SuiteResult result, SuiteResult baseline) {
        Map<String, Double> now = SuiteMetrics.flatten(result);
        Map<String, Double> before = baseline == null ? Map.of() : SuiteMetrics.flatten(baseline);
        StringBuilder sb = new StringBuilder();
        sb.append("## eval: ").append(result.suite()).append(" (").append(result.target()).append(", ")
                .append(result.date()).append(")\n\n");
        sb.append("| metric | value |").append(baseline == null ? "" : " baseline | change |").append('\n');
        sb.append("|---|---:|").append(baseline == null ? "" : "---:|---:|").append('\n');
        now.forEach((metric, value) -> {
            sb.append("| ").append(metric).append(" | ").append(format(value)).append(" |");
            if (baseline != null) {
                Double old = before.get(metric);
                sb.append(' ').append(old == null ? "-" : format(old)).append(" | ")
                        .append(old == null ? "-" : String.format(Locale.ROOT, "%+.4f", value - old)).append(" |");
            }
            sb.append('\n');
        });
        sb.append('\n');
        if (result.regressions().isEmpty()) {
            sb.append("PASS: no threshold crossed").append(baseline == null ? "" : ", no regression against the "
                    + "baseline").append('\n');
        } else {
            sb.append("FAIL: ").append(result.regressions().size()).append(" problem(s)\n");
            result.regressions().forEach(r -> sb.append("- ").append(r.message()).append('\n'));
        }
        return sb.toString();
    }

    private static String format(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
