package dev.sextant.eval.report;

import static dev.sextant.eval.report.Html.escape;
import static dev.sextant.eval.report.Html.finite;

import dev.sextant.eval.load.StepResult;
import dev.sextant.eval.suite.SuiteMetrics;
import dev.sextant.eval.suite.SuiteResult;
import dev.sextant.eval.suite.SuiteResult.AnswerSummary;
import dev.sextant.eval.suite.SuiteResult.CacheSummary;
import dev.sextant.eval.suite.SuiteResult.CostSummary;
import dev.sextant.eval.suite.SuiteResult.LatencySummary;
import dev.sextant.eval.suite.SuiteResult.PairResult;
import dev.sextant.eval.suite.SuiteResult.QuestionResult;
import dev.sextant.eval.suite.SuiteResult.Regression;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One self-contained HTML page for a {@link SuiteResult}: inline CSS, charts as inline SVG drawn here, and a few
 * lines of inline script that only sort the question table. It refers to nothing outside itself (no URL, font,
 * image or script from elsewhere; a Content-Security-Policy forbids fetching any), so it opens offline.
 * <p>
 * Top to bottom: the verdict (regressions in red), the flat metrics ({@link SuiteMetrics#flatten}) (with the baseline's
 * and the change when a baseline is given), the charts ({@code svg.chart} with {@code data-chart} =
 * {@code recall-at-k}, {@code latency-histogram}, {@code cost-per-question}; a section the run lacks leaves a note
 * instead), the load steps and cache pairs when present, and one row per question. All text from the result is
 * escaped.
 */
public final class HtmlReport {

    /** Retrieved sources shown per question; the rest are counted. */
    static final int RETRIEVED_SHOWN = 10;
    /** Characters of the answer shown before the rest is folded away. */
    static final int EXCERPT_CHARS = 280;

    private HtmlReport() {
    }

    /** The report of one run. */
    public static String render(SuiteResult result) {
        return render(result, null);
    }

    /**
     * The report of one run compared with a baseline run (null for none): the baseline's figures beside the
     * run's, and its recall@k curves dashed.
     */
    public static String render(SuiteResult result, SuiteResult baseline) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>sextant eval: ").append(escape(result.suite())).append("</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        header(html, result, baseline);
        verdict(html, result.regressions());
        metricsTable(html, result, baseline);
        charts(html, result, baseline);
        load(html, result.latency());
        cache(html, result.cache());
        questions(html, result.questions());
        html.append("<footer>Written by <code>sextant eval</code>. This page is self-contained and works offline."
                + "</footer>\n");
        html.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    // ------------------------------------------------------------ sections

    private static void header(StringBuilder html, SuiteResult r, SuiteResult baseline) {
        html.append("<header>\n<h1>").append(escape(r.suite())).append("</h1>\n<p class=\"meta\">Run ")
                .append(escape(r.date())).append(" against <code>").append(escape(r.target())).append("</code>");
        if (r.questions() != null) {
            html.append(" \u00b7 ").append(r.questions().size()).append(" question(s)");
        }
        if (r.answers() != null) {
            html.append(" (").append(r.answers().answerable()).append(" answerable, ")
                    .append(r.answers().unanswerable()).append(" unanswerable)");
        }
        html.append("</p>\n");
        if (baseline != null) {
            html.append("<p class=\"meta\">Baseline: ").append(escape(baseline.suite())).append(", run ")
                    .append(escape(baseline.date())).append(" against <code>").append(escape(baseline.target()))
                    .append("</code></p>\n");
        }
        html.append("</header>\n");
    }

    private static void verdict(StringBuilder html, List<Regression> regressions) {
        if (regressions == null || regressions.isEmpty()) {
            html.append("<section id=\"verdict\" class=\"pass\"><h2>Passed</h2><p>No metric past its threshold "
                    + "or worse than the baseline.</p></section>\n");
            return;
        }
        html.append("<section id=\"verdict\" class=\"fail\"><h2>").append(regressions.size())
                .append(" regression(s)</h2>\n<table><thead><tr><th>metric</th><th>rule</th><th>value</th>")
                .append("<th>limit</th><th>message</th></tr></thead><tbody>\n");
        for (Regression g : regressions) {
            html.append("<tr class=\"regression\"><td><code>").append(escape(g.metric())).append("</code></td><td>")
                    .append(escape(g.rule())).append("</td><td class=\"num\">").append(Html.num(g.value(), 4))
                    .append("</td><td class=\"num\">").append(Html.num(g.limit(), 4)).append("</td><td>")
                    .append(escape(g.message())).append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static void metricsTable(StringBuilder html, SuiteResult r, SuiteResult baseline) {
        Map<String, Double> metrics = SuiteMetrics.flatten(r);
        Map<String, Double> base = baseline == null ? Map.of() : SuiteMetrics.flatten(baseline);
        Set<String> regressed = new HashSet<>();
        if (r.regressions() != null) {
            r.regressions().forEach(g -> regressed.add(g.metric()));
        }
        html.append("<section id=\"summary\"><h2>Metrics</h2>\n");
        if (metrics.isEmpty()) {
            html.append("<p class=\"note\">This run measured no metric.</p></section>\n");
            return;
        }
        html.append("<table class=\"metrics\"><thead><tr><th>metric</th><th>value</th>");
        if (baseline != null) {
            html.append("<th>baseline</th><th>change</th>");
        }
        html.append("</tr></thead><tbody>\n");
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            String name = e.getKey();
            html.append("<tr").append(regressed.contains(name) ? " class=\"regression\"" : "").append("><td><code>")
                    .append(escape(name)).append("</code></td><td class=\"num\">").append(format(name, e.getValue()))
                    .append("</td>");
            if (baseline != null) {
                Double b = base.get(name);
                html.append("<td class=\"num\">").append(format(name, b)).append("</td>");
                if (finite(b) && finite(e.getValue())) {
                    double delta = e.getValue() - b;
                    boolean better = SuiteMetrics.higherIsBetter(name) ? delta > 0 : delta < 0;
                    String cls = delta == 0 ? "same" : better ? "better" : "worse";
                    html.append("<td class=\"num ").append(cls).append("\">")
                            .append(delta > 0 ? "+" : delta < 0 ? "-" : "").append(format(name, Math.abs(delta)))
                            .append("</td>");
                } else {
                    html.append("<td class=\"num\">\u2013</td>");
                }
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static String format(String metric, Double value) {
        if (!finite(value)) {
            return "\u2013";
        }
        if (metric.endsWith("_usd") || metric.endsWith("_usd_per_question")) {
            return Html.usd(value);
        }
        if (metric.endsWith("_tokens")) {
            return Html.num(value, 0);
        }
        if (metric.endsWith("_ms")) {
            return Html.num(value, 1);
        }
        return Html.num(value, 3);
    }

    private static void charts(StringBuilder html, SuiteResult r, SuiteResult baseline) {
        html.append("<section id=\"charts\"><h2>Charts</h2>\n");
        if (r.retrieval() == null || r.retrieval().isEmpty()) {
            note(html, "recall-at-k", "This run has no retrieval section: no recall@k chart.");
        } else {
            figure(html, Charts.recallAtK(r.retrieval(), baseline == null ? null : baseline.retrieval()),
                    "Share of gold sources among the first k distinct retrieved sources, mean over questions."
                            + (baseline != null && baseline.retrieval() != null ? " Dashed: baseline." : ""));
        }
        List<QuestionResult> qs = r.questions() == null ? List.of() : r.questions();
        if (r.latency() == null) {
            note(html, "latency-histogram", "This run has no latency section: no latency histogram.");
        } else {
            String svg = Charts.latencyHistogram(qs.stream().map(QuestionResult::totalMs).toList(),
                    qs.stream().map(QuestionResult::ttftMs).toList(), r.latency().total());
            if (svg == null) {
                note(html, "latency-histogram", "No question has a recorded time: no latency histogram.");
            } else {
                figure(html, svg, "Questions per time bin, answers requested one at a time; dashed: p50 and p95 "
                        + "of the total time.");
            }
        }
        if (r.cost() == null) {
            note(html, "cost-per-question", "This run has no cost section: no cost chart.");
        } else {
            String svg = Charts.costPerQuestion(qs.stream().map(QuestionResult::id).toList(),
                    qs.stream().map(QuestionResult::costUsd).toList(), r.cost().meanUsdPerQuestion());
            if (svg == null) {
                note(html, "cost-per-question", "No question has a recorded cost: no cost chart.");
            } else {
                figure(html, svg, "Cost of each question in suite order; dashed: the mean.");
            }
        }
        html.append("</section>\n");
    }

    private static void figure(StringBuilder html, String svg, String caption) {
        html.append("<figure>").append(svg).append("<figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
    }

    private static void note(StringBuilder html, String chart, String text) {
        html.append("<p class=\"note\" data-missing=\"").append(chart).append("\">").append(escape(text))
                .append("</p>\n");
    }

    private static void load(StringBuilder html, LatencySummary latency) {
        if (latency == null || latency.load() == null || latency.load().isEmpty()) {
            return;
        }
        html.append("<section id=\"load\"><h2>Load steps</h2>\n<table><thead><tr><th>step</th><th>sent</th>")
                .append("<th>ok</th><th>429</th><th>errors</th><th>ok/s</th><th>latency p50 ms</th>")
                .append("<th>p90</th><th>p99</th><th>TTFT p50 ms</th></tr></thead><tbody>\n");
        for (StepResult s : latency.load()) {
            var o = s.outcomes();
            long errors = o.clientError() + o.serverError() + o.otherStatus() + o.streamError() + o.ioError()
                    + o.timeout() + o.dropped();
            html.append("<tr><td>").append(escape(s.label())).append("</td><td class=\"num\">").append(s.sent())
                    .append('/').append(s.scheduled()).append("</td><td class=\"num\">").append(o.ok())
                    .append("</td><td class=\"num\">").append(o.rateLimited()).append("</td><td class=\"num")
                    .append(errors > 0 ? " worse" : "").append("\">").append(errors).append("</td><td class=\"num\">")
                    .append(Html.num(s.throughput(), 1)).append("</td><td class=\"num\">")
                    .append(Html.num(s.latency().p50Ms(), 1)).append("</td><td class=\"num\">")
                    .append(Html.num(s.latency().p90Ms(), 1)).append("</td><td class=\"num\">")
                    .append(Html.num(s.latency().p99Ms(), 1)).append("</td><td class=\"num\">")
                    .append(Html.num(s.ttft() == null ? null : s.ttft().p50Ms(), 1)).append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static void cache(StringBuilder html, CacheSummary cache) {
        if (cache == null || cache.pairs() == null || cache.pairs().isEmpty()) {
            return;
        }
        html.append("<section id=\"cache\"><h2>Cache pairs</h2>\n<details><summary>")
                .append(cache.paraphrases()).append(" paraphrase pair(s), ").append(cache.nonParaphrases())
                .append(" non-paraphrase pair(s), ").append(cache.refused())
                .append(" not counted (first question refused, so nothing cached)</summary>\n<table><thead><tr>")
                .append("<th>first</th><th>second</th><th>paraphrase</th><th>hit</th></tr></thead><tbody>\n");
        for (PairResult p : cache.pairs()) {
            boolean wrong = !p.refused() && p.hit() != p.paraphrase();
            html.append("<tr").append(wrong ? " class=\"regression\"" : "").append("><td>").append(escape(p.first()))
                    .append("</td><td>").append(escape(p.second())).append("</td><td>")
                    .append(p.paraphrase() ? "yes" : "no").append("</td><td>")
                    .append(p.refused() ? "first refused" : p.hit() ? "hit" : "miss")
                    .append("</td></tr>\n");
        }
        html.append("</tbody></table></details></section>\n");
    }

    private static void questions(StringBuilder html, List<QuestionResult> questions) {
        html.append("<section id=\"questions\"><h2>Questions</h2>\n");
        if (questions == null || questions.isEmpty()) {
            html.append("<p class=\"note\">No per-question results.</p></section>\n");
            return;
        }
        html.append("<p class=\"note\">Click a column heading to sort. <mark class=\"gold\">Highlighted</mark> "
                + "sources are gold; <span class=\"off\">struck</span> citations are not.</p>\n");
        html.append("<table id=\"questions-table\"><thead><tr>")
                .append(th("id", false)).append(th("question", false)).append(th("gold", false))
                .append(th("retrieved", false)).append(th("cited", false)).append(th("answer", false))
                .append(th("grounded", true)).append(th("RR", true)).append(th("F1", true))
                .append(th("TTFT ms", true)).append(th("total ms", true)).append(th("cost", true))
                .append("</tr></thead><tbody>\n");
        for (QuestionResult q : questions) {
            Set<String> gold = q.gold() == null ? Set.of() : new HashSet<>(q.gold());
            html.append("<tr><td>").append(escape(q.id())).append("</td><td>").append(escape(q.question()));
            if (!q.answerable()) {
                html.append(" <span class=\"badge\">unanswerable</span>");
            }
            if (q.refused()) {
                html.append(" <span class=\"badge").append(q.answerable() ? " bad" : "")
                        .append("\">refused</span>");
            }
            html.append("</td><td>");
            sources(html, q.gold(), gold, Integer.MAX_VALUE, false);
            html.append("</td><td>");
            sources(html, q.retrieved(), gold, RETRIEVED_SHOWN, false);
            html.append("</td><td>");
            sources(html, q.cited(), gold, Integer.MAX_VALUE, true);
            html.append("</td><td class=\"answer\">");
            answer(html, q);
            html.append("</td>").append(numCell(q.groundedness(), Html.num(q.groundedness(), 2)))
                    .append(numCell(q.reciprocalRank(), Html.num(q.reciprocalRank(), 2)))
                    .append(numCell(q.tokenF1(), Html.num(q.tokenF1(), 2)))
                    .append(numCell(q.ttftMs(), Html.num(q.ttftMs(), 0)))
                    .append(numCell(q.totalMs(), Html.num(q.totalMs(), 0)))
                    .append(numCell(q.costUsd(), Html.usd(q.costUsd()))).append("</tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static String th(String label, boolean numeric) {
        return "<th data-type=\"" + (numeric ? "num" : "text") + "\">" + escape(label) + "</th>";
    }

    private static String numCell(Double value, String text) {
        return "<td class=\"num\" data-v=\"" + (finite(value) ? Double.toString(value) : "") + "\">" + text + "</td>";
    }

    private static void sources(StringBuilder html, List<String> sources, Set<String> gold, int shown,
                                boolean markWrong) {
        if (sources == null || sources.isEmpty()) {
            html.append("<span class=\"none\">none</span>");
            return;
        }
        html.append("<ol class=\"sources\">");
        for (int i = 0; i < Math.min(shown, sources.size()); i++) {
            String s = sources.get(i);
            html.append("<li>");
            if (gold.contains(s)) {
                html.append("<mark class=\"gold\">").append(escape(s)).append("</mark>");
            } else if (markWrong) {
                html.append("<span class=\"off\">").append(escape(s)).append("</span>");
            } else {
                html.append(escape(s));
            }
            html.append("</li>");
        }
        html.append("</ol>");
        if (sources.size() > shown) {
            html.append("<span class=\"none\">+").append(sources.size() - shown).append(" more</span>");
        }
    }

    private static void answer(StringBuilder html, QuestionResult q) {
        String text = q.answer() == null ? "" : q.answer().strip();
        if (text.length() <= EXCERPT_CHARS) {
            html.append("<div>").append(escape(text)).append("</div>");
        } else {
            int cut = EXCERPT_CHARS;
            if (Character.isLowSurrogate(text.charAt(cut))) {
                cut--;
            }
            html.append("<details><summary>").append(escape(text.substring(0, cut))).append("\u2026</summary><div>")
                    .append(escape(text)).append("</div></details>");
        }
        if (q.reference() != null && !q.reference().isBlank()) {
            html.append("<div class=\"reference\">reference: ").append(escape(q.reference())).append("</div>");
        }
    }

    // ------------------------------------------------------------ style and script

    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;\
            background:#fafafa}
            h1{margin:0 0 4px}h2{margin:24px 0 8px;font-size:18px}
            .meta{color:#555;margin:2px 0}
            table{border-collapse:collapse;background:#fff}
            th,td{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
            th{background:#f0f0f0}
            #questions-table th{cursor:pointer;position:sticky;top:0}
            #questions-table th[aria-sort=ascending]::after{content:" \\25B2"}
            #questions-table th[aria-sort=descending]::after{content:" \\25BC"}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            tr.regression td{background:#fde2e2;color:#a40000}
            #verdict.fail{border-left:6px solid #c00;padding:4px 12px;background:#fff0f0}
            #verdict.fail h2{color:#c00}
            #verdict.pass{border-left:6px solid #2a2;padding:4px 12px;background:#f0fff0}
            #verdict.pass h2{color:#171}
            .better{color:#171}.worse{color:#c00;font-weight:600}
            figure{display:inline-block;margin:0 16px 16px 0;vertical-align:top}
            figcaption{color:#555;font-size:12px;max-width:640px}
            svg.chart{background:#fff;border:1px solid #ddd;max-width:100%;height:auto}
            svg.chart .title{font-size:15px;font-weight:600}
            svg.chart .axis,svg.chart .legend{font-size:11px;fill:#333}
            svg.chart .axis-label{font-size:12px;fill:#333}
            svg.chart .grid{stroke:#eee}
            svg.chart .axis-line,svg.chart .tick{stroke:#888}
            .note{color:#666;font-style:italic}
            mark.gold{background:#d8f5d0;color:#134d07}
            .off{color:#a40000;text-decoration:line-through}
            .none{color:#999}
            .badge{display:inline-block;font-size:11px;padding:0 5px;border-radius:8px;background:#e6e6e6}
            .badge.bad{background:#fde2e2;color:#a40000}
            ol.sources{margin:0;padding-left:18px}
            #questions-table td{max-width:240px;overflow-wrap:anywhere}
            #questions-table td.answer{min-width:300px;max-width:460px;overflow-wrap:break-word}
            .reference{color:#555;font-size:12px;margin-top:4px}
            footer{margin-top:24px;color:#888;font-size:12px}
            """;

    /** Sorts the question table by a clicked column; does nothing if the table is absent. */
    private static final String SCRIPT = """
            (function () {
              var table = document.getElementById('questions-table');
              if (!table || !table.tHead || !table.tBodies.length) { return; }
              var heads = table.tHead.rows[0].cells;
              function key(cell, numeric) {
                var v = cell ? (cell.getAttribute('data-v') || cell.textContent || '') : '';
                if (!numeric) { return v.toLowerCase(); }
                var n = parseFloat(v);
                return isNaN(n) ? -Infinity : n;
              }
              Array.prototype.forEach.call(heads, function (th, col) {
                th.addEventListener('click', function () {
                  var numeric = th.getAttribute('data-type') === 'num';
                  var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
                  Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
                  th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
                  var body = table.tBodies[0];
                  var rows = Array.prototype.slice.call(body.rows);
                  rows.sort(function (a, b) {
                    var x = key(a.cells[col], numeric), y = key(b.cells[col], numeric);
                    return (x < y ? -1 : x > y ? 1 : 0) * dir;
                  });
                  rows.forEach(function (r) { body.appendChild(r); });
                });
              });
            })();
            """;
}
