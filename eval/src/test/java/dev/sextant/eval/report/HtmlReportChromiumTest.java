package dev.sextant.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report rendered in Debian's headless Chromium: it loads from a file without console errors, exceptions or
 * failed loads, the three charts are there with drawn data, and the table sorter runs. Skipped without
 * {@code /usr/bin/chromium}, except on CI ({@code CI=true}), where that is a failure.
 */
@Timeout(180)
class HtmlReportChromiumTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @BeforeAll
    static void needsChromium() {
        if (!Files.isExecutable(HeadlessChromium.BINARY)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("install chromium (apt-get install -y chromium)");
            }
            Assumptions.abort(HeadlessChromium.BINARY + " is missing: install chromium (apt-get install -y chromium)");
        }
    }

    @Test
    void reportLoadsWithoutErrorsAndDrawsItsCharts() throws Exception {
        Path page = temp.resolve("report.html");
        Files.writeString(page, HtmlReport.render(ReportFixtures.full(), ReportFixtures.baseline()),
                StandardCharsets.UTF_8);

        HeadlessChromium browser = HeadlessChromium.start();
        try {
            String target = browser.call(null, "Target.createTarget", Map.of("url", "about:blank"))
                    .get("targetId").asText();
            String session = browser.call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                    .get("sessionId").asText();
            browser.call(session, "Runtime.enable", Map.of());
            browser.call(session, "Log.enable", Map.of());
            browser.call(session, "Page.enable", Map.of());

            int from = browser.events.size();
            JsonNode navigation = browser.call(session, "Page.navigate", Map.of("url", page.toUri().toString()));
            assertThat(navigation.has("errorText")).as("navigation: %s", navigation).isFalse();
            browser.await(from, e -> "Page.loadEventFired".equals(e.path("method").asText())
                    && session.equals(e.path("sessionId").asText()), Duration.ofSeconds(30));

            JsonNode page1 = evaluate(browser, session, """
                    JSON.stringify({
                      count: document.querySelectorAll('svg.chart').length,
                      charts: Array.from(document.querySelectorAll('svg.chart')).map(function (s) {
                        var box = s.getBoundingClientRect();
                        var title = s.querySelector('title');
                        return {name: s.getAttribute('data-chart'), title: title ? title.textContent : '',
                                drawn: s.querySelectorAll('.data').length, width: box.width, height: box.height,
                                contentWidth: s.getBBox().width};
                      }),
                      rows: document.querySelectorAll('#questions-table tbody tr').length,
                      scripts: document.scripts.length
                    })""");
            assertThat(page1.get("count").asInt()).isEqualTo(3);
            List<String> names = new ArrayList<>();
            for (JsonNode chart : page1.get("charts")) {
                names.add(chart.get("name").asText());
                assertThat(chart.get("title").asText()).as("title of %s", chart).isNotBlank();
                assertThat(chart.get("drawn").asInt()).as("drawn elements of %s", chart).isPositive();
                assertThat(chart.get("width").asDouble()).as("%s", chart).isPositive();
                assertThat(chart.get("height").asDouble()).as("%s", chart).isPositive();
                assertThat(chart.get("contentWidth").asDouble()).as("%s", chart).isPositive();
            }
            assertThat(names).containsExactly("recall-at-k", "latency-histogram", "cost-per-question");
            assertThat(page1.get("rows").asInt()).isEqualTo(4);

            // the sorter: cost ascending puts q3 ($0.0018) first, a second click descending puts q4 ($0.0042) first
            JsonNode sorted = evaluate(browser, session, """
                    (function () {
                      var heads = document.querySelectorAll('#questions-table th');
                      var first = function () {
                        return document.querySelector('#questions-table tbody tr td').textContent;
                      };
                      heads.forEach(function (th) { th.click(); th.click(); });
                      var cost = heads[heads.length - 1];
                      cost.click();
                      var ascending = first();
                      cost.click();
                      return JSON.stringify({ascending: ascending, descending: first()});
                    })()""");
            assertThat(sorted.get("ascending").asText()).isEqualTo("q3");
            assertThat(sorted.get("descending").asText()).isEqualTo("q4");

            Thread.sleep(300); // let late console messages arrive
            assertThat(errors(browser.events, session)).as("console errors, exceptions and error log entries")
                    .isEmpty();

            // the collector sees errors at all: a deliberate one arrives
            int probe = browser.events.size();
            evaluate(browser, session, "console.error('sextant-probe'); JSON.stringify({})");
            browser.await(probe, e -> e.toString().contains("sextant-probe"), Duration.ofSeconds(10));
            assertThat(errors(browser.events.subList(probe, browser.events.size()), session)).hasSize(1);
        } finally {
            browser.close();
        }
        assertThat(browser.alive()).as("Chromium still running after close").isFalse();
    }

    private static JsonNode evaluate(HeadlessChromium browser, String session, String expression) throws Exception {
        JsonNode result = browser.call(session, "Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true));
        assertThat(result.has("exceptionDetails")).as("evaluating %s: %s", expression, result).isFalse();
        return JSON.readTree(result.path("result").path("value").asText());
    }

    /** Console errors and assertions, uncaught exceptions, and error-level log entries of the page. */
    private static List<String> errors(List<JsonNode> events, String session) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            if (!session.equals(e.path("sessionId").asText())) {
                continue;
            }
            String method = e.path("method").asText();
            JsonNode p = e.path("params");
            boolean error = switch (method) {
                case "Runtime.consoleAPICalled" -> List.of("error", "assert").contains(p.path("type").asText());
                case "Runtime.exceptionThrown" -> true;
                case "Log.entryAdded" -> "error".equals(p.path("entry").path("level").asText());
                default -> false;
            };
            if (error) {
                out.add(e.toString());
            }
        }
        return out;
    }
}
