package dev.sextant.router.config;

/** What each process role ({@code sextant.role}) serves. */
public final class Roles {

    private Roles() {
    }

    /** Chat and text completions, and the chat model in /v1/models: everything but the embeddings service. */
    public static boolean servesGeneration(SextantConfig config) {
        return !config.role().equals("embeddings");
    }

    /** Retrieval (and retrieval-augmented chat): the all-in-one server and the router. */
    public static boolean retrieves(SextantConfig config) {
        return config.role().equals("all") || config.role().equals("router");
    }

    /** Whether generation runs on other processes (replicas by URL or DNS name) rather than in this one. */
    public static boolean remoteInference(SextantConfig config) {
        return config.inference().url().isPresent() || config.inference().dnsName().isPresent();
    }

    /** /v1/embeddings: everything but the inference service. */
    public static boolean servesEmbeddings(SextantConfig config) {
        return !config.role().equals("inference");
    }
}
