package dev.sextant.router.cache;

import dev.sextant.router.answer.Citation;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Answers kept for reuse: an exact layer (normalised question) and a semantic layer (embedding similarity plus the
 * {@link QuestionGuard}). Entries are scoped, so an answer never crosses tenants, models, prompt templates, indexes
 * or generation settings; each remembers the documents it cited and their content hashes, so the caller can drop it
 * when one of them was re-ingested or deleted.
 */
public interface ResponseCache {

    Optional<Hit> lookup(LookupRequest request);

    void store(StoreRequest request);

    InvalidateResult invalidate(InvalidateRequest request);

    /** Everything an answer depends on besides the question. */
    record Scope(String tenant, String model, String promptVersion, String indexVersion, String settings) {
        public Scope {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(model, "model");
        }

        public String id() {
            return sha256(String.join("\u0000", tenant, model, promptVersion, indexVersion, settings)).substring(0, 32);
        }
    }

    /**
     * @param vector        the question's embedding; null looks up the exact layer only
     * @param minSimilarity cosine a semantic candidate needs before the guard looks at it
     */
    record LookupRequest(Scope scope, String question, float[] vector, double minSimilarity) {
    }

    record Hit(String entryId, String question, CachedAnswer answer, double similarity, boolean exact) {
    }

    record StoreRequest(Scope scope, String question, float[] vector, CachedAnswer answer) {
    }

    /** @param sourceHashes content hash of every cited document when the answer was made */
    record CachedAnswer(String text, String finishReason, int promptTokens, int completionTokens,
                        List<Citation> citations, Map<String, String> sourceHashes) {
        public CachedAnswer {
            citations = List.copyOf(citations);
            sourceHashes = Map.copyOf(sourceHashes);
        }
    }

    /** Drops entries citing any of {@code sources} of {@code tenant}; {@code all} drops every entry. */
    record InvalidateRequest(String tenant, Set<String> sources, boolean all) {
        public static InvalidateRequest sources(String tenant, Set<String> sources) {
            return new InvalidateRequest(tenant, Set.copyOf(sources), false);
        }

        public static InvalidateRequest everything() {
            return new InvalidateRequest(null, Set.of(), true);
        }
    }

    record InvalidateResult(int removed) {
    }

    /** Case, spacing and trailing punctuation do not change a question. */
    static String normalize(String question) {
        return question.strip().replaceAll("\\s+", " ").replaceAll("[?!.\\s]+$", "").toLowerCase(Locale.ROOT);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
