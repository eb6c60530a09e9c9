package dev.sextant.bench.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The ingest benchmark's figures: a line per round, the table of the best rounds, and the JSON results. */
public final class IngestBenchmarkReport {

    private IngestBenchmarkReport() {
    }

    /** One line on a finished round. */
    public static void printProgress(PrintWriter out, int round, RoundResult r) {
        out.printf(Locale.ROOT, "round %d %-11s %d pages, %d chunks in %.1f s (%.2f pages/s, %.1f chunks/s); CPU-s: "
                        + "this process %.0f, other processes %.0f, steal %.0f%n", round, r.engine(), r.pages(),
                r.chunks(), r.seconds(), r.pagesPerSecond(), r.chunksPerSecond(), r.cpu().processSeconds(),
                r.cpu().otherSeconds(), r.cpu().stealSeconds());
        out.flush();
    }

    /** The best round of each engine, their ratio, where their time went, and a warning on a disturbed round. */
    public static void printTable(PrintWriter out, IngestBenchmark.Result result) {
        RoundResult theirs = result.langChain4j().best();
        RoundResult ours = result.sextant().best();
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "%d pages (%.1f MB of HTML) under %s, %d cores, best of %d rounds%n",
                result.corpus().files().size(), result.corpus().bytes() / 1e6, result.corpus().root(), cores,
                result.rounds());
        out.printf(Locale.ROOT, "%-12s %6s %7s %8s %8s %9s %8s %8s %9s %9s%n", "engine", "pages", "chunks",
                "seconds", "pages/s", "chunks/s", "chars/ch", "tok/ch", "embed/ch", "truncated");
        for (RoundResult round : List.of(theirs, ours)) {
            ChunkStats st = round.stats();
            out.printf(Locale.ROOT, "%-12s %6d %7d %8.1f %8.2f %9.1f %8.0f %8.1f %9.1f %9d%n", round.engine(),
                    round.pages(), round.chunks(), round.seconds(), round.pagesPerSecond(), round.chunksPerSecond(),
                    st.meanChars(), st.meanTokens(), st.meanEmbeddedTokens(), st.truncated());
        }
        out.printf(Locale.ROOT, "ratio sextant / langchain4j: pages/s %.2fx, chunks/s %.2fx%n",
                ours.pagesPerSecond() / theirs.pagesPerSecond(), ours.chunksPerSecond() / theirs.chunksPerSecond());
        out.println("(chars/ch, tok/ch: mean chunk text; embed/ch: mean tokens the encoder reads per chunk, "
                + "[CLS]/[SEP] and sextant's title/heading line included; truncated: chunks cut at "
                + result.limits().modelTokens() + " tokens)");
        for (RoundResult round : List.of(theirs, ours)) {
            out.printf(Locale.ROOT, "%s phases (s): %s; %d token counts, %.1f us each%n", round.engine(),
                    phases(round.phases()), round.tokenCountCalls(),
                    1e6 * round.phases().get("token counting") / Math.max(1, round.tokenCountCalls()));
        }
        for (RoundResult round : List.of(theirs, ours)) {
            if (round.cpu().otherSeconds() > 0.05 * round.seconds() * cores) {
                out.printf(Locale.ROOT, "warning: other processes used %.0f CPU-seconds during the best %s round "
                        + "(%.0f s); its figures are disturbed%n", round.cpu().otherSeconds(), round.engine(),
                        round.seconds());
            }
        }
        out.flush();
    }

    /** Everything measured, best round of each engine in full and every round's time. */
    public static void writeJson(Path file, IngestBenchmark.Result result) throws IOException {
        RoundResult theirs = result.langChain4j().best();
        RoundResult ours = result.sextant().best();
        ObjectMapper json = new ObjectMapper();
        ObjectNode rootNode = json.createObjectNode();
        rootNode.put("date", LocalDate.now().toString());
        rootNode.put("corpus", result.corpus().root().toString());
        rootNode.put("pages", result.corpus().files().size());
        rootNode.put("corpus_mb", round(result.corpus().bytes() / 1e6));
        rootNode.put("cores", Runtime.getRuntime().availableProcessors());
        rootNode.put("java", Runtime.version().toString());
        rootNode.put("rounds", result.rounds());
        rootNode.put("warmup_files", result.warmupFiles());
        rootNode.put("chunk_max_tokens", result.limits().maxTokens());
        rootNode.put("chunk_overlap_tokens", result.limits().overlapTokens());
        ArrayNode engines = rootNode.putArray("engines");
        for (IngestBenchmark.EngineRounds engine : List.of(result.langChain4j(), result.sextant())) {
            RoundResult best = engine.best();
            ObjectNode node = engines.addObject();
            node.put("engine", best.engine());
            node.put("pipeline", engine.pipeline());
            node.put("pages", best.pages());
            node.put("chunks", best.chunks());
            node.put("seconds", round(best.seconds()));
            node.put("pages_per_s", round(best.pagesPerSecond()));
            node.put("chunks_per_s", round(best.chunksPerSecond()));
            node.put("mean_chunk_chars", round(best.stats().meanChars()));
            node.put("mean_chunk_tokens", round(best.stats().meanTokens()));
            node.put("mean_embedded_tokens", round(best.stats().meanEmbeddedTokens()));
            node.put("chunks_truncated", best.stats().truncated());
            ObjectNode phaseNode = node.putObject("phases_s");
            best.phases().forEach((name, seconds) -> phaseNode.put(name, round(seconds)));
            node.put("token_count_calls", best.tokenCountCalls());
            ObjectNode cpu = node.putObject("cpu_s");
            cpu.put("this_process", round(best.cpu().processSeconds()));
            cpu.put("other_processes", round(best.cpu().otherSeconds()));
            cpu.put("steal", round(best.cpu().stealSeconds()));
            ArrayNode all = node.putArray("rounds");
            for (RoundResult r : engine.rounds()) {
                all.addObject().put("seconds", round(r.seconds()))
                        .put("other_processes_cpu_s", round(r.cpu().otherSeconds()));
            }
        }
        rootNode.put("ratio_pages_per_s", round(ours.pagesPerSecond() / theirs.pagesPerSecond()));
        rootNode.put("ratio_chunks_per_s", round(ours.chunksPerSecond() / theirs.chunksPerSecond()));
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), rootNode);
    }

    static String phases(Map<String, Double> phases) {
        StringBuilder sb = new StringBuilder();
        phases.forEach((name, seconds) -> sb.append(sb.isEmpty() ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.2f", name, seconds)));
        return sb.toString();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
