package dev.sextant.app.wiring;

import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.rest.ApiSurface;
import java.util.ArrayList;
import java.util.List;

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

    /** The API routes a process of this role serves. */
    public static ApiSurface surface(SextantConfig config) {
        List<String> routes = new ArrayList<>(List.of(ApiSurface.MODELS, ApiSurface.ADMIN));
        if (servesGeneration(config)) {
            routes.addAll(List.of(ApiSurface.CHAT, ApiSurface.COMPLETIONS));
        }
        if (retrieves(config)) {
            routes.add(ApiSurface.RETRIEVE);
        }
        if (servesEmbeddings(config)) {
            routes.add(ApiSurface.EMBEDDINGS);
        }
        return new ApiSurface(routes);
    }
}
