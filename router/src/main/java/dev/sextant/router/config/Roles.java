package dev.sextant.router.config;

/** What each process role ({@code sextant.role}) serves. */
public final class Roles {

    private Roles() {
    }

    /** Chat and text completions, and the chat model in /v1/models: everything but the embeddings service. */
    public static boolean servesGeneration(SextantConfig config) {
        return !config.role().equals("embeddings");
    }

    /** Retrieval (and retrieval-augmented chat): only the all-in-one server. */
    public static boolean retrieves(SextantConfig config) {
        return config.role().equals("all");
    }

    /** /v1/embeddings: everything but the inference service. */
    public static boolean servesEmbeddings(SextantConfig config) {
        return !config.role().equals("inference");
    }
}
