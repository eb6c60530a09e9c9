package dev.sextant.rag.store.lucene;

/**
 * How the embedded store's keyword search scores a chunk: BM25 over the body (title line, heading path, text) plus,
 * with weights, BM25 over the page title and over the headings alone, over whole code identifiers
 * ({@link IdentifierAnalyzer}), and a phrase match for runs of upper-case words in the query ({@code VACUUM FULL},
 * {@code WITHOUT ROWID}). A chunk's score is the weighted sum of its per-field BM25 scores. Each field keeps its own
 * statistics, so a word in few page titles counts for much in the title field even when the bodies use it often;
 * the body still holds the title and headings, so a chunk never scores lower for a title match.
 *
 * @param title      weight of the title field (0: not searched)
 * @param heading    weight of the headings field
 * @param identifier weight of the whole-identifier field
 * @param phrase     weight of an upper-case phrase matched in the body
 */
public record KeywordScoring(float title, float heading, float identifier, float phrase) {

    /** The body alone (which holds the title line and heading path too). */
    public static final KeywordScoring BODY = new KeywordScoring(0, 0, 0, 0);
    /** Title and headings, without the identifier and phrase clauses. */
    public static final KeywordScoring FIELDS = new KeywordScoring(2, 1, 0, 0);
    /** Fields, whole identifiers and upper-case phrases. */
    public static final KeywordScoring IDENTIFIERS = new KeywordScoring(2, 1, 1, 1);
    /**
     * What the store uses unless told otherwise: the body alone. Weighting the title and headings in cost hybrid
     * page-fusion recall@1 0.68 -> 0.47 on the PostgreSQL questions and 0.60 -> 0.47 on the SQLite ones (short
     * fields make BM25 scores of a title word outweigh the body), and the identifier and phrase clauses changed
     * nothing on PostgreSQL and lost 0.02 on SQLite (eval-retrieval, rag-pipeline README).
     */
    public static final KeywordScoring DEFAULT = BODY;

    public KeywordScoring {
        for (float w : new float[] {title, heading, identifier, phrase}) {
            if (!(w >= 0) || Float.isInfinite(w)) {
                throw new IllegalArgumentException("keyword weights must be finite and >= 0, got " + w);
            }
        }
    }

    /**
     * Parses {@code title=2,heading=1,identifier=1,phrase=1}; weights not named are 0.
     *
     * @throws IllegalArgumentException naming what does not parse
     */
    public static KeywordScoring parse(String spec) {
        float[] w = new float[4];
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("keyword scoring '" + spec + "': expected name=weight, got '"
                        + part.trim() + "'");
            }
            int i = switch (kv[0].trim()) {
                case "title" -> 0;
                case "heading" -> 1;
                case "identifier" -> 2;
                case "phrase" -> 3;
                default -> throw new IllegalArgumentException("keyword scoring '" + spec + "': unknown weight '"
                        + kv[0].trim() + "' (title, heading, identifier, phrase)");
            };
            try {
                w[i] = Float.parseFloat(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("keyword scoring '" + spec + "': '" + kv[1].trim()
                        + "' is not a number", e);
            }
        }
        return new KeywordScoring(w[0], w[1], w[2], w[3]);
    }
}
