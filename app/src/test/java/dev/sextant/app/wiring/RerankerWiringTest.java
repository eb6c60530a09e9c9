package dev.sextant.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.embeddings.EmbeddingModel;
import dev.sextant.embeddings.EmbeddingRequest;
import dev.sextant.embeddings.EmbeddingResult;
import dev.sextant.embeddings.onnx.EmbedderOptions;
import dev.sextant.embeddings.onnx.EncoderSpec;
import dev.sextant.embeddings.onnx.OnnxEmbeddingModel;
import dev.sextant.rag.rerank.LearnedReranker;
import dev.sextant.rag.rerank.MaxSimReranker;
import dev.sextant.rag.rerank.Reranker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code sextant.retrieval.rerank} to the reranker the retriever gets. */
class RerankerWiringTest {

    static OnnxEmbeddingModel local;

    @BeforeAll
    static void load() {
        local = new OnnxEmbeddingModel(EncoderSpec.allMiniLmL6V2Quantized(), EmbedderOptions.defaults());
    }

    @AfterAll
    static void close() {
        local.close();
    }

    /** What a remote embeddings service is to the router: pooled vectors only, no token vectors. */
    static EmbeddingModel pooledOnly() {
        return new EmbeddingModel() {
            @Override
            public EmbeddingResult embed(EmbeddingRequest request) {
                return local.embed(request);
            }

            @Override
            public int dimension() {
                return local.dimension();
            }

            @Override
            public String name() {
                return local.name();
            }
        };
    }

    @Test
    void eachSettingGivesItsReranker() {
        assertThat(Components.reranker("none", local)).isSameAs(Reranker.NONE);
        assertThat(Components.reranker("maxsim", local)).isInstanceOf(MaxSimReranker.class);
        assertThat(Components.reranker("learned", local)).isInstanceOfSatisfying(LearnedReranker.class,
                r -> assertThat(r.trainedOn()).startsWith("sqlite-3"));
        // The shipped weights use no MaxSim, so they work behind a remote embeddings service too.
        assertThat(Components.reranker("learned", pooledOnly())).isInstanceOf(LearnedReranker.class);
    }

    @Test
    void maxSimBehindARemoteEmbedderIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> Components.reranker("maxsim", pooledOnly()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sextant.retrieval.rerank=maxsim")
                .hasMessageContaining("sextant.embeddings.url")
                .hasMessageContaining("rerank=learned or none");
    }
}
