package dev.sextant.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.eval.suite.SuiteMetrics;
import dev.sextant.eval.suite.SuiteResult;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private static int count(String text, String needle) {
        return (int) Pattern.compile(Pattern.quote(needle)).matcher(text).results().count();
    }

    @Test
    void fullRunHasTheThreeChartsWithTitlesAndDrawnData() {
        String html = HtmlReport.render(ReportFixtures.full());
        assertThat(count(html, "<svg class=\"chart\"")).isEqualTo(3);
        for (String chart : List.of("recall-at-k", "latency-histogram", "cost-per-question")) {
            Matcher m = Pattern.compile("<svg class=\"chart\" data-chart=\"" + chart + "\".*?</svg>", Pattern.DOTALL)
                    .matcher(html);
            assertThat(m.find()).as(chart).isTrue();
            String svg = m.group();
            assertThat(svg).contains("<title id=\"" + chart + "-title\">").contains("class=\"data");
            assertThat(svg).doesNotContain("\u0000").containsPattern("height=\"\\d+\" viewBox=\"0 0 640 \\d+\"");
        }
        assertThat(html).doesNotContain("data-missing");
    }

    @Test
    void cachePairsWhoseFirstQuestionWasRefusedAreShownAsNotCounted() {
        String html = HtmlReport.render(ReportFixtures.full());
        assertThat(html).contains("2 paraphrase pair(s), 1 non-paraphrase pair(s), 1 not counted");
        Matcher row = Pattern.compile("<tr>(<td>capital of France\\?</td>.*?)</tr>").matcher(html);
        assertThat(row.find()).isTrue();
        assertThat(row.group(1)).contains("first refused");
    }

    @Test
    void recallCurveHasOneLineAndFourPointsPerMode() {
        String html = HtmlReport.render(ReportFixtures.full());
        assertThat(count(html, "<polyline class=\"data series\"")).isEqualTo(3);
        assertThat(count(html, "<circle class=\"data point series\"")).isEqualTo(12);
        assertThat(html).doesNotContain("data baseline");
        // hybrid recall@10 = 1.0 at k = 10: x = 620 (right edge), y = 40 (top)
        assertThat(html).contains("points=\"64.00,150.00 187.56,95.00 311.11,67.50 620.00,40.00\"");
    }

    @Test
    void baselineCurvesAreDashedAndItsFiguresCompared() {
        String html = HtmlReport.render(ReportFixtures.full(), ReportFixtures.baseline());
        assertThat(count(html, "<polyline class=\"data baseline\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\""
                + " stroke-dasharray=\"6 4\"")).isEqualTo(1); // hybrid, in hybrid's colour
        assertThat(count(html, "<polyline class=\"data baseline\"")).isEqualTo(2);
        assertThat(html).contains("<th>baseline</th><th>change</th>");
        // recall@5 hybrid 0.875 vs 0.75: better; groundedness 0.8333 vs 0.95: worse (and a regression)
        assertThat(html).contains("<td class=\"num better\">+0.125</td>");
        assertThat(html).containsPattern(
                "<tr class=\"regression\"><td><code>answers.groundedness</code></td><td class=\"num\">0.833</td>"
                        + "<td class=\"num\">0.950</td><td class=\"num worse\">-0.117</td>");
        // cost went down: better although negative
        assertThat(html).contains("<td class=\"num better\">-$0.0027</td>");
    }

    @Test
    void regressionsComeFirstInRed() {
        String html = HtmlReport.render(ReportFixtures.full());
        assertThat(html).contains("<section id=\"verdict\" class=\"fail\"><h2>1 regression(s)</h2>");
        assertThat(html.indexOf("id=\"verdict\"")).isLessThan(html.indexOf("id=\"summary\""));
        assertThat(html.indexOf("id=\"summary\"")).isLessThan(html.indexOf("id=\"charts\""));
        assertThat(HtmlReport.render(ReportFixtures.baseline())).contains("<section id=\"verdict\" class=\"pass\">");
    }

    @Test
    void absentSectionsLeaveNotesInsteadOfCharts() {
        String html = HtmlReport.render(ReportFixtures.bare());
        assertThat(html).doesNotContain("<svg");
        assertThat(html).contains("data-missing=\"recall-at-k\"", "data-missing=\"latency-histogram\"",
                "data-missing=\"cost-per-question\"");
        assertThat(html).contains("<table id=\"questions-table\">");
        assertThat(html).contains("This run measured no metric.");
    }

    @Test
    void allResultTextIsEscapedAndNoUrlComesFromTheReportItself() {
        String html = HtmlReport.render(ReportFixtures.full(), ReportFixtures.baseline());
        assertThat(html).doesNotContain("<script>alert").doesNotContain("</textarea>").doesNotContain("<!--");
        assertThat(html).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;");
        assertThat(count(html, "<script>")).isEqualTo(1); // the table sorter
        String withoutResultText = html;
        for (String copied : List.of("http://localhost:8080", "https://example.org/gold.html",
                "https://example.org/other.html")) {
            withoutResultText = withoutResultText.replace(Html.escape(copied), "");
        }
        assertThat(withoutResultText).doesNotContain("http://").doesNotContain("https://")
                .doesNotContainPattern("(?i)(src|href)=\"(?!data:)");
    }

    @Test
    void questionRowsHighlightGoldAndStrikeWrongCitations() {
        String html = HtmlReport.render(ReportFixtures.full());
        assertThat(count(html, "<tr><td>q")).isEqualTo(4);
        // q1: retrieved routine-vacuuming, sql-vacuum (gold), mvcc; cited sql-vacuum (gold), mvcc (wrong)
        assertThat(html).contains("<ol class=\"sources\"><li>postgres/routine-vacuuming.html</li><li><mark "
                + "class=\"gold\">postgres/sql-vacuum.html</mark></li><li>postgres/mvcc.html</li></ol>");
        assertThat(html).contains("<ol class=\"sources\"><li><mark class=\"gold\">postgres/sql-vacuum.html</mark>"
                + "</li><li><span class=\"off\">postgres/mvcc.html</span></li></ol>");
        // the long answer is folded, the unanswerable refusal flagged, a missing TTFT shown as a dash
        assertThat(html).contains("<details><summary>VACUUM reclaims");
        assertThat(html).contains("<span class=\"badge\">unanswerable</span> <span class=\"badge\">refused</span>");
        assertThat(html).contains("<td class=\"num\" data-v=\"\">\u2013</td>");
        assertThat(html).contains("<td class=\"num\" data-v=\"0.0041\">$0.0041</td>");
    }

    @Test
    void metricsTableHasARowPerFlatMetric() {
        SuiteResult full = ReportFixtures.full();
        Map<String, Double> metrics = SuiteMetrics.flatten(full);
        String html = HtmlReport.render(full);
        String table = html.substring(html.indexOf("<table class=\"metrics\">"), html.indexOf("</table>",
                html.indexOf("<table class=\"metrics\">")));
        assertThat(count(table, "<tr")).isEqualTo(metrics.size() + 1);
        for (String name : metrics.keySet()) {
            assertThat(table).contains("<code>" + Html.escape(name) + "</code>");
        }
        assertThat(table).contains("<td><code>retrieval.hybrid.recall@5</code></td><td class=\"num\">0.875</td>",
                "<td><code>cost.mean_usd_per_question</code></td><td class=\"num\">$0.003075</td>",
                "<td><code>latency.total.p95_ms</code></td><td class=\"num\">1420.0</td>");
    }

    @Test
    void histogramBinsHandComputed() {
        // totals 1420, 880, 640, 310 and TTFTs 180, 95, 120: max 1420 -> width nice(142) = 200, 8 bins
        String html = HtmlReport.render(ReportFixtures.full());
        assertThat(count(html, "<title>total ")).isEqualTo(8 + 2); // 8 bins + the p50 and p95 markers
        assertThat(html).contains("<title>total 200\u2013400 ms: 1 question(s)</title>",
                "<title>total 600\u2013800 ms: 1 question(s)</title>",
                "<title>TTFT 0\u2013200 ms: 3 question(s)</title>",
                "<title>total 1400\u20131600 ms: 1 question(s)</title>");
    }

    @Test
    void niceScaleSteps() {
        assertThat(Charts.niceCeil(142)).isEqualTo(200.0);
        assertThat(Charts.niceCeil(0.0042)).isCloseTo(0.005, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(Charts.niceCeil(2.3)).isEqualTo(2.5);
        assertThat(Charts.niceCeil(10)).isEqualTo(10.0);
        assertThat(Charts.niceCeil(0)).isEqualTo(1.0);
    }

    @Test
    void escapeCoversTextAndAttributes() {
        assertThat(Html.escape("a<b>&\"c'\u0000d")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;\uFFFDd");
        assertThat(Html.escape("\uD83D\uDE00 \uD83D")).isEqualTo("\uD83D\uDE00 \uFFFD");
        assertThat(Html.escape(null)).isEmpty();
        SuiteResult r = ReportFixtures.full();
        assertThat(HtmlReport.render(r)).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    }
}
