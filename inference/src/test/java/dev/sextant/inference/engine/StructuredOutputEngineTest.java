package dev.sextant.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sextant.inference.TinyModel;
import dev.sextant.inference.api.ChatMessage;
import dev.sextant.inference.api.FinishReason;
import dev.sextant.inference.api.GenerationRequest;
import dev.sextant.inference.api.GenerationResult;
import dev.sextant.inference.api.InferenceException;
import dev.sextant.inference.api.Prompt;
import dev.sextant.inference.api.ResponseFormat;
import dev.sextant.inference.api.SamplingParams;
import dev.sextant.inference.api.TokenStream;
import dev.sextant.inference.runner.RunnerOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Structured outputs through the real engine and the tiny ONNX model, batched rows constrained one by one. */
class StructuredOutputEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader STRICT = JSON.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String SCHEMA = """
            {"type": "object", "properties": {
               "city": {"type": "string", "maxLength": 20},
               "population": {"type": "integer"},
               "coastal": {"type": "boolean"},
               "districts": {"type": "array", "items": {"type": "string", "maxLength": 8}, "maxItems": 3}},
             "required": ["city", "population", "coastal"], "additionalProperties": false}""";

    static InferenceEngine engine;
    static ExecutorService pool = Executors.newFixedThreadPool(8);

    @BeforeAll
    static void load() {
        engine = new InferenceEngine(TinyModel.dir(), new EngineOptions("tiny", RunnerOptions.cpu(1), 64, 8, 1024,
                1L << 30, 2048), new SimpleMeterRegistry());
    }

    @AfterAll
    static void close() {
        engine.close();
        pool.shutdownNow();
    }

    static GenerationRequest request(String question, int maxTokens, SamplingParams sampling, ResponseFormat format) {
        return new GenerationRequest(null, Prompt.chat(List.of(new ChatMessage("user", question))), maxTokens,
                List.of(), sampling, Duration.ofSeconds(60), false, format);
    }

    private static void assertValid(GenerationResult result, Schema schema) throws Exception {
        JsonNode doc = STRICT.readValue(result.text());
        assertThat(schema.validate(doc)).as(result.text()).isEmpty();
    }

    @Test
    void greedyAndSampledOutputsValidateAlsoWhenMaxTokensCutsThem() throws Exception {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(SCHEMA);
        ResponseFormat format = new ResponseFormat.JsonSchema("city", SCHEMA, true);
        List<Future<GenerationResult>> results = new ArrayList<>();
        List<Integer> budgets = new ArrayList<>();
        // Mixed budgets and sampling in one batch: some rows end themselves, some are closed by the budget.
        for (int i = 0; i < 12; i++) {
            int maxTokens = i % 3 == 0 ? 64 : 40 + i;
            SamplingParams sampling = i % 2 == 0 ? SamplingParams.GREEDY
                    : new SamplingParams(1.0, 0, 1.0, 1.0, (long) i);
            budgets.add(maxTokens);
            GenerationRequest request = request("Describe city " + i + " as JSON.", maxTokens, sampling, format);
            results.add(pool.submit(() -> engine.generate(request, TokenStream.DISCARD)));
        }
        boolean sawLength = false;
        for (int i = 0; i < results.size(); i++) {
            GenerationResult r = results.get(i).get();
            assertValid(r, schema);
            assertThat(r.completionTokens()).isLessThanOrEqualTo(budgets.get(i));
            if (r.finishReason() == FinishReason.LENGTH) {
                sawLength = true;
                assertThat(r.completionTokens()).isEqualTo(budgets.get(i));
            } else {
                assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
            }
        }
        // The shortest document is 41 bytes: 42 tokens leave the sampled row no room to wander.
        GenerationResult tight = engine.generate(request("Again.", 42, new SamplingParams(1.0, 0, 1.0, 1.0, 3L),
                format), TokenStream.DISCARD);
        assertValid(tight, schema);
        assertThat(sawLength || tight.finishReason() == FinishReason.LENGTH).isTrue();
    }

    @Test
    void jsonObjectModeGivesAnObjectAndTextModeIsUnconstrained() throws Exception {
        GenerationResult object = engine.generate(request("Anything.", 24, SamplingParams.GREEDY,
                ResponseFormat.JSON_OBJECT), TokenStream.DISCARD);
        assertThat(STRICT.<JsonNode>readValue(object.text()).isObject()).as(object.text()).isTrue();
        GenerationResult text = engine.generate(request("Anything.", 24, SamplingParams.GREEDY,
                ResponseFormat.TEXT), TokenStream.DISCARD);
        assertThat(text.text()).isNotEqualTo(object.text());
    }

    @Test
    void aSchemaThatCannotBeEnforcedIsAnInvalidRequestNamingTheKeyword() {
        ResponseFormat format = new ResponseFormat.JsonSchema("zip",
                "{\"type\": \"string\", \"minimum\": 5}", true);
        assertThatThrownBy(() -> engine.generate(request("Zip?", 8, SamplingParams.GREEDY, format),
                TokenStream.DISCARD)).isInstanceOf(InferenceException.class)
                .hasMessageContaining("response_format.json_schema.schema: 'minimum' is not supported")
                .extracting(e -> ((InferenceException) e).kind()).isEqualTo(InferenceException.Kind.INVALID_REQUEST);
        ResponseFormat broken = new ResponseFormat.JsonSchema("x", "{\"type\": ", true);
        assertThatThrownBy(() -> engine.generate(request("x", 8, SamplingParams.GREEDY, broken),
                TokenStream.DISCARD)).hasMessageContaining("not JSON");
    }
}
