package dev.sextant.app.wiring;

import dev.sextant.inference.api.InferenceClient;
import dev.sextant.rag.retrieve.Retriever;
import dev.sextant.router.chat.ChatBackend;
import dev.sextant.router.chat.ModelOnlyChat;
import dev.sextant.router.chat.RetrievalAugmentedChat;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.rest.ApiSurface;
import dev.sextant.router.resilience.GuardedEmbeddingModel;
import dev.sextant.router.resilience.GuardedRetriever;
import dev.sextant.router.resilience.Hops;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * What differs between the process roles, decided once at start-up: the routes served and what answers a chat.
 * Beans are resolved lazily, so a role never builds what it does not serve (the inference service has no chunk
 * store, embedder or retriever; the embeddings service no chat model).
 */
public class RoleWiring {

    @Produces
    @Singleton
    ApiSurface apiSurface(SextantConfig config) {
        return Roles.surface(config);
    }

    @Produces
    @ApplicationScoped
    ChatBackend chatBackend(SextantConfig config, Instance<RetrievalAugmentedChat> retrievalAugmented,
                            Instance<InferenceClient> inference) {
        return Roles.retrieves(config) ? retrievalAugmented.get()
                : new ModelOnlyChat(inference.get(), config.inference().timeout());
    }

    @Produces
    @Singleton
    GuardedRetriever guardedRetriever(Retriever retriever, GuardedEmbeddingModel embeddings, Hops hops) {
        return new GuardedRetriever(retriever, embeddings, hops);
    }
}
