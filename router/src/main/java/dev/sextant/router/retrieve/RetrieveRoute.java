package dev.sextant.router.retrieve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.rag.retrieve.RetrievalRequest;
import dev.sextant.rag.retrieve.RetrievalResult;
import dev.sextant.router.resilience.Hop;
import dev.sextant.router.resilience.Hops;
import dev.sextant.rag.retrieve.Retriever;
import dev.sextant.rag.store.ChunkStore;
import dev.sextant.router.admission.Admission;
import dev.sextant.router.config.Roles;
import dev.sextant.router.config.SextantConfig;
import dev.sextant.router.http.ApiException;
import dev.sextant.router.http.Http;
import dev.sextant.router.http.JsonFields;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;

/** {@code POST /v1/retrieve}: the chunks most relevant to a query, best first. */
@ApplicationScoped
public class RetrieveRoute {

    static final int MAX_TOP_K = 100;
    static final int MAX_QUERY_CHARS = 8192;

    private final Retriever retriever;
    private final SextantConfig config;

    private final Admission admission;

    private final Hops hops;

    public RetrieveRoute(Retriever retriever, SextantConfig config, Admission admission, Hops hops) {
        this.hops = hops;
        this.retriever = retriever;
        this.config = config;
        this.admission = admission;
    }

    @Route(path = "/v1/retrieve", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    void retrieve(RoutingContext rc) {
        Http.serve(rc, () -> {
            if (!Roles.retrieves(config)) {
                throw Http.notFound(rc);
            }
            String tenant = admission.authenticate(rc).tenant();
            ObjectNode body = Http.jsonBody(rc);
            String query = JsonFields.string(body, "query", null);
            if (query == null) {
                throw ApiException.invalid("query", "'query' is required");
            }
            if (query.isBlank()) {
                throw ApiException.invalid("query", "'query' must not be empty");
            }
            if (query.length() > MAX_QUERY_CHARS) {
                throw ApiException.invalid("query", "'query' has " + query.length() + " characters; at most "
                        + MAX_QUERY_CHARS);
            }
            int topK = JsonFields.integer(body, "top_k", 5, 1, MAX_TOP_K);
            double minScore = JsonFields.number(body, "min_score", config.retrieval().minScore(), -1.0, 1.0);
            int maxPerSource = JsonFields.integer(body, "max_per_source", config.retrieval().maxPerSource(), 0,
                    MAX_TOP_K);
            String mode = JsonFields.string(body, "mode", config.retrieval().mode());
            if (!List.of("hybrid", "dense", "keyword").contains(mode)) {
                throw ApiException.invalid("mode", "'mode' must be one of hybrid, dense, keyword; got '" + mode + "'");
            }
            var request = new RetrievalRequest(tenant, query,
                    ChunkStore.SearchMode.valueOf(mode.toUpperCase(Locale.ROOT)), topK, minScore, maxPerSource);
            var result = hops.call(Hop.RETRIEVAL, RetrievalResult.class, () -> retriever.retrieve(request));
            ObjectNode out = Http.JSON.createObjectNode();
            ArrayNode results = out.putArray("results");
            for (var match : result.matches()) {
                var chunk = match.chunk();
                ObjectNode r = results.addObject();
                r.put("source", chunk.source());
                r.put("chunk_id", chunk.id());
                r.put("score", match.score());
                r.put("title", chunk.title());
                r.set("heading_path", Http.JSON.valueToTree(chunk.headingPath()));
                r.put("text", chunk.text());
            }
            Http.sendJson(rc, 200, out);
        });
    }
}
