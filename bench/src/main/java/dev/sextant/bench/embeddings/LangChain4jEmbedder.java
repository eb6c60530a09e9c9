package dev.sextant.bench.embeddings;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.sextant.embeddings.bench.EmbeddingThroughput.Embedder;
import java.util.List;

/** The baseline: LangChain4j's in-process model on the same quantized ONNX file as sextant's embedder. */
public final class LangChain4jEmbedder {

    /** The models both engines ship, by sextant's name. */
    public static final List<String> MODELS = List.of("all-minilm-l6-v2-q", "bge-small-en-v1.5-q");

    private LangChain4jEmbedder() {
    }

    /**
     * LangChain4j's model of that name: single texts through {@code embed}, requests of several through
     * {@code embedAll} (its own executor, one thread per core).
     *
     * @throws IllegalArgumentException for a model not in {@link #MODELS}
     */
    public static Embedder forModel(String model) {
        EmbeddingModel langChain4j = switch (model) {
            case "all-minilm-l6-v2-q" -> new AllMiniLmL6V2QuantizedEmbeddingModel();
            case "bge-small-en-v1.5-q" -> new BgeSmallEnV15QuantizedEmbeddingModel();
            default -> throw new IllegalArgumentException("model must be one of " + MODELS + ", got '" + model + "'");
        };
        return batch -> {
            if (batch.size() == 1) {
                langChain4j.embed(batch.get(0));
            } else {
                langChain4j.embedAll(batch.stream().map(TextSegment::from).toList());
            }
        };
    }
}
