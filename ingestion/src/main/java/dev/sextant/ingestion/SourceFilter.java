package dev.sextant.ingestion;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/** --include / --exclude globs, matched against a file's source path (relative to its root, '/'-separated). */
final class SourceFilter {

    private final List<PathMatcher> includes;
    private final List<PathMatcher> excludes;

    SourceFilter(List<String> includes, List<String> excludes) {
        this.includes = includes.stream().map(SourceFilter::glob).toList();
        this.excludes = excludes.stream().map(SourceFilter::glob).toList();
    }

    private static PathMatcher glob(String pattern) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            throw new IngestPathException("invalid glob '" + pattern + "': " + e.getMessage());
        }
    }

    boolean hasIncludes() {
        return !includes.isEmpty();
    }

    boolean accepts(String source) {
        Path path = Path.of(source);
        // Each pattern is also tried against the file name alone, so "*.md" matches at any depth (as in .gitignore)
        // while "library/*.html" still constrains the directory.
        boolean included = includes.isEmpty() || includes.stream().anyMatch(m -> matches(m, path));
        return included && excludes.stream().noneMatch(m -> matches(m, path));
    }

    private static boolean matches(PathMatcher matcher, Path path) {
        return matcher.matches(path) || (path.getFileName() != null && matcher.matches(path.getFileName()));
    }
}
