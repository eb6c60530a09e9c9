package dev.sextant.router.cache;

import dev.sextant.embeddings.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Question vectors per scope, searched exactly (a scan: a scope holds thousands of entries at most, and a scan of
 * 10,000 384-dimensional vectors takes about a millisecond). Not thread-safe; owners synchronise.
 */
final class SemanticIndex {

    record Candidate(String id, double similarity) {
    }

    private final Map<String, Map<String, float[]>> byScope = new HashMap<>();
    private final Map<String, String> scopeOf = new HashMap<>();

    void add(String scopeId, String id, float[] vector) {
        byScope.computeIfAbsent(scopeId, k -> new HashMap<>()).put(id, vector);
        scopeOf.put(id, scopeId);
    }

    void remove(String id) {
        String scope = scopeOf.remove(id);
        if (scope != null) {
            Map<String, float[]> vectors = byScope.get(scope);
            vectors.remove(id);
            if (vectors.isEmpty()) {
                byScope.remove(scope);
            }
        }
    }

    void clear() {
        byScope.clear();
        scopeOf.clear();
    }

    int size() {
        return scopeOf.size();
    }

    /** Up to {@code limit} entries of the scope at or above {@code minSimilarity}, most similar first. */
    List<Candidate> search(String scopeId, float[] vector, double minSimilarity, int limit) {
        Map<String, float[]> vectors = byScope.get(scopeId);
        if (vectors == null) {
            return List.of();
        }
        List<Candidate> out = new ArrayList<>();
        for (var e : vectors.entrySet()) {
            double similarity = Vectors.cosine(vector, e.getValue());
            if (similarity >= minSimilarity) {
                out.add(new Candidate(e.getKey(), similarity));
            }
        }
        out.sort(Comparator.comparingDouble(Candidate::similarity).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }
}
