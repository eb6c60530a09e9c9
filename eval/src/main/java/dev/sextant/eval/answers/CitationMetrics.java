package dev.sextant.eval.answers;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * An answer's citations against the gold sources of its question, both counted as distinct sources (an answer that
 * cites one page three times has cited one page).
 */
public final class CitationMetrics {

    private CitationMetrics() {
    }

    /**
     * Citation precision: {@code |distinct cited ∩ gold| / |distinct cited|}. Undefined (empty) when nothing is
     * cited: an answer that cites nothing is not imprecise, it is uncited, which {@link #citationRecall} penalises.
     * With an empty gold set every citation is wrong (0.0).
     */
    public static OptionalDouble citationPrecision(Collection<String> cited, Collection<String> gold) {
        Set<String> citedSet = new LinkedHashSet<>(cited);
        if (citedSet.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) intersection(citedSet, gold) / citedSet.size());
    }

    /**
     * Citation recall: {@code |distinct cited ∩ gold| / |distinct gold|}; 0.0 when nothing is cited.
     *
     * @throws IllegalArgumentException with no gold source (an unanswerable question has no citation recall)
     */
    public static double citationRecall(Collection<String> cited, Collection<String> gold) {
        Set<String> goldSet = new HashSet<>(gold);
        if (goldSet.isEmpty()) {
            throw new IllegalArgumentException("citation recall needs at least one gold source");
        }
        return (double) intersection(new HashSet<>(cited), goldSet) / goldSet.size();
    }

    private static int intersection(Set<String> cited, Collection<String> gold) {
        Set<String> goldSet = new HashSet<>(gold);
        int n = 0;
        for (String c : cited) {
            if (goldSet.contains(c)) {
                n++;
            }
        }
        return n;
    }
}
