package dev.sextant.bench.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The HTML pages both engines ingest: regular files named {@code *.html} at any depth under {@code root}, sorted by
 * source path, which is the set and order sextant's {@code Ingestor} picks with {@code --include '*.html'}.
 *
 * @param root    absolute, normalised
 * @param files   the pages, by source
 * @param sources each page's path relative to the root, {@code /}-separated (the store's source)
 * @param bytes   their total size
 */
public record IngestCorpus(Path root, List<Path> files, List<String> sources, long bytes) {

    public IngestCorpus {
        files = List.copyOf(files);
        sources = List.copyOf(sources);
    }

    /** The pages under {@code dir}; none when it holds no {@code *.html} file. */
    public static IngestCorpus scan(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".html"))
                    .sorted(Comparator.comparing(p -> source(root, p)))
                    .toList();
        }
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        return new IngestCorpus(root, files, files.stream().map(f -> source(root, f)).toList(), bytes);
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    /** {@code count} pages spread evenly over the corpus (all of them when it has no more), for a warm-up. */
    public List<Path> spread(int count) {
        if (count >= files.size()) {
            return files;
        }
        List<Path> picked = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            picked.add(files.get((int) ((long) i * files.size() / count)));
        }
        return picked;
    }

    /** The source path of {@code file}, as the store names it. */
    public String source(Path file) {
        return source(root, file);
    }

    static String source(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** A glob matching exactly this source path (glob metacharacters escaped), for an {@code --include}. */
    static String literalGlob(String source) {
        StringBuilder sb = new StringBuilder();
        for (char c : source.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
